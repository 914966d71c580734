package io.layercache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The harness's own broker: it answers, dies on kill, stops cleanly, starts again on its port, leaves nothing. */
class RabbitMqServerTest {

  @Test
  void aBrokerIsKilledStoppedAndStartedAgainOnItsPort() {
    int port;
    try (RabbitMqServer broker = RabbitMqServer.startLocal()) {
      port = broker.port();
      assertThat(broker.owned()).isTrue();
      assertThat(broker.url()).isEqualTo("amqp://guest:guest@127.0.0.1:" + port);
      assertThat(broker.answersHandshake()).isTrue();
      assertThat(broker.lastStart()).isPositive();
      assertThatThrownBy(broker::start).hasMessageContaining("is running");

      broker.kill();
      assertThat(broker.isAlive()).isFalse();
      assertThat(broker.answersHandshake()).isFalse();

      broker.start();
      assertThat(broker.answersHandshake()).isTrue();

      broker.stop();
      assertThat(broker.isAlive()).isFalse();
      assertThat(broker.answersHandshake()).isFalse();

      broker.start();
      assertThat(broker.answersHandshake()).isTrue();
    }
    assertThat(listening(port)).as("nothing is left on the port after close").isFalse();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
