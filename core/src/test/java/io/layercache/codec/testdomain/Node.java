package io.layercache.codec.testdomain;

/** A linked node, for depth and cycle tests. */
public final class Node {
  public Node next;
  public int value;

  public Node(int value, Node next) {
    this.value = value;
    this.next = next;
  }

  /** A chain of {@code length} nodes. */
  public static Node chain(int length) {
    Node head = null;
    for (int i = 0; i < length; i++) {
      head = new Node(i, head);
    }
    return head;
  }
}
