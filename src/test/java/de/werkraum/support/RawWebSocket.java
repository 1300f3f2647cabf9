package de.werkraum.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare-bones WebSocket client over a plain socket, for tests that need a peer that does not read
 * (a slow consumer) or does not answer pings: it reads only when asked to.
 */
public final class RawWebSocket implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens /ws and reads the 101 answer; fails if the upgrade is refused. Small receive buffer: backs up fast. */
  public static RawWebSocket open(int port, String origin, String cookie) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(16 * 1024);
    s.connect(new java.net.InetSocketAddress("localhost", port), 5000);
    s.setSoTimeout(20_000);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request = "GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
        + "Origin: " + origin + "\r\nCookie: " + cookie + "\r\n\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    RawWebSocket ws = new RawWebSocket(s);
    String status = ws.readLine();
    if (!status.contains(" 101 ")) {
      s.close();
      throw new IOException("upgrade refused: " + status);
    }
    while (!ws.readLine().isEmpty()) {
      // skip the answer's headers
    }
    return ws;
  }

  private String readLine() throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** Sends one masked text frame, as clients must. */
  public void sendText(String text) throws IOException {
    sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends one masked frame whose first byte is exactly {@code firstByte} (FIN, RSV1-3, opcode), for
   * hand-made frames: fragments, reserved bits, payloads that are not UTF-8.
   */
  public void sendFrame(int firstByte, byte[] payload) throws IOException {
    byte[] masked = payload.clone();
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(firstByte);
    if (masked.length < 126) {
      out.write(0x80 | masked.length);
    } else {
      out.write(0x80 | 126);
      out.write((masked.length >> 8) & 0xff);
      out.write(masked.length & 0xff);
    }
    out.write(mask);
    for (int i = 0; i < masked.length; i++) {
      masked[i] ^= mask[i % 4];
    }
    out.write(masked);
    out.flush();
  }

  /** Sends only the header of a masked frame that claims {@code length} payload bytes (none follow). */
  public void sendFrameHeader(int firstByte, long length) throws IOException {
    out.write(firstByte);
    out.write(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (length >> shift) & 0xff);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(mask);
    out.flush();
  }

  /** Reads frames until the next text frame and returns its text (fails on a close or the end of the stream). */
  public String nextText() throws IOException {
    while (true) {
      int b0 = in.read();
      if (b0 == -1) {
        throw new IOException("connection ended");
      }
      byte[] payload = readPayload();
      int opcode = b0 & 0x0f;
      if (opcode == 0x8) {
        throw new IOException("closed by the server");
      }
      if (opcode == 0x1) {
        return new String(payload, StandardCharsets.UTF_8);
      }
    }
  }

  private byte[] readPayload() throws IOException {
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return payload;
  }

  /** Reads frames until a close frame and returns its code (or -1 if the connection ends without one). */
  public int readUntilClose() throws IOException {
    while (true) {
      int b0 = in.read();
      if (b0 == -1) {
        return -1;
      }
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      int opcode = b0 & 0x0f;
      if (opcode == 0x8) {
        return length >= 2 ? in.readUnsignedShort() : 1005;
      }
      InputStream skip = in;
      long left = length;
      while (left > 0) {
        long n = skip.skip(left);
        if (n <= 0) {
          if (skip.read() == -1) {
            return -1;
          }
          n = 1;
        }
        left -= n;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
