package io.layercache.benchmarks;

import java.util.SplittableRandom;

/**
 * The order in which the hit benchmark reads its keys: uniform (a shuffled permutation) or Zipfian
 * (few hot keys, a long tail), precomputed so the measured loop only indexes an array.
 */
final class ReadOrder {

  private ReadOrder() {}

  /**
   * The reading order, {@code keySpace} lookups long. Each element is a new {@code Integer}
   * (values above 127 are never the cached instances), so lookups compare with {@code equals}.
   */
  static Integer[] sequence(String distribution, int keySpace, SplittableRandom random) {
    int[] order = new int[keySpace];
    switch (distribution) {
      case "uniform":
        for (int i = 0; i < keySpace; i++) {
          order[i] = i;
        }
        shuffle(order, random);
        break;
      case "zipf":
        {
          // rank r (0 = most popular) drawn from Zipf(theta) over keySpace ranks, then mapped
          // through a random permutation so that popular keys are scattered over the key space
          int[] keyOfRank = new int[keySpace];
          for (int i = 0; i < keySpace; i++) {
            keyOfRank[i] = i;
          }
          shuffle(keyOfRank, random);
          Zipf zipf = new Zipf(keySpace, 0.99);
          for (int i = 0; i < keySpace; i++) {
            order[i] = keyOfRank[zipf.next(random)];
          }
          break;
        }
      default:
        throw new IllegalArgumentException("distribution must be uniform or zipf: " + distribution);
    }
    Integer[] seq = new Integer[keySpace];
    for (int i = 0; i < keySpace; i++) {
      seq[i] = Integer.valueOf(order[i]);
    }
    return seq;
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * Zipf-distributed ranks in [0, n) by the closed-form method of Gray et al., "Quickly
   * generating billion-record synthetic databases" (SIGMOD 1994), theta in (0, 1).
   */
  static final class Zipf {
    private final int n;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;

    Zipf(int n, double theta) {
      this.n = n;
      this.theta = theta;
      double z = 0;
      for (int i = 1; i <= n; i++) {
        z += 1.0d / Math.pow(i, theta);
      }
      this.zetaN = z;
      double zeta2 = 1.0d + 1.0d / Math.pow(2, theta);
      this.alpha = 1.0d / (1.0d - theta);
      this.eta = (1.0d - Math.pow(2.0d / n, 1.0d - theta)) / (1.0d - zeta2 / zetaN);
    }

    int next(SplittableRandom random) {
      double u = random.nextDouble();
      double uz = u * zetaN;
      if (uz < 1.0d) {
        return 0;
      }
      if (uz < 1.0d + Math.pow(0.5d, theta)) {
        return 1;
      }
      int r = (int) (n * Math.pow(eta * u - eta + 1.0d, alpha));
      return Math.min(Math.max(r, 0), n - 1);
    }
  }
}
