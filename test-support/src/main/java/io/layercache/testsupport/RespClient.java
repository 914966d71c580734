package io.layercache.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP client for controlling test servers (PING, DEBUG SLEEP, CLUSTER …) without
 * depending on the client under test.
 */
public final class RespClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /** Connects to {@code host:port} with the given timeout in milliseconds. */
  public RespClient(String host, int port, int timeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Sends a command and returns its reply: String, Long, byte[], List or null; errors throw. */
  public Object call(String... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(bytes);
      request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(request.toByteArray());
    out.flush();
    return read();
  }

  /** Sends a command whose arguments are raw bytes (e.g. {@code PUBLISH channel <bytes>}) and returns its reply. */
  public Object callBytes(byte[]... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      request.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(arg);
      request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(request.toByteArray());
    out.flush();
    return read();
  }

  /** Sends raw bytes as the value of {@code SET key}: for planting foreign bytes in tests. */
  public void setBytes(String key, byte[] value) throws IOException {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes("*3\r\n$3\r\nSET\r\n".getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(("$" + keyBytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(keyBytes);
    request.writeBytes(("\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(value);
    request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.write(request.toByteArray());
    out.flush();
    read();
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("connection closed by server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("server error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        in.readNBytes(2);
        return bytes;
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP type '" + (char) type + "'");
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed by server");
      }
      line.append((char) c);
    }
    in.read();
    return line.toString();
  }

  /** The reply as text, for bulk strings. */
  public static String text(Object reply) {
    return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
