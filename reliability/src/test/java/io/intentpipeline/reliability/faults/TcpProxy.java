package io.intentpipeline.reliability.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of a real server (PostgreSQL, S3), for the faults
 * that cannot be made by stopping the server: every accepted connection opens one to the target
 * and two threads copy the bytes each way.
 *
 * <ul>
 *   <li>{@link #cutAll()} closes every open connection at once, both sides, with a reset: the
 *       client sees its socket die (a crashed process, a dropped network path), the server sees
 *       its client gone and ends the session;
 *   <li>{@link #refuseNew()} answers every new connection with a reset before a byte is
 *       exchanged, as a host whose server is down does;
 *   <li>{@link #resume()} accepts and forwards again.
 * </ul>
 */
final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  /** A forwarded connection: the client's socket and the one to the target; {@code swallow} when its answer is to be lost. */
  private record Pair(Socket client, Socket server, java.util.concurrent.atomic.AtomicBoolean swallow) {}

  private final Set<Pair> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger cut = new AtomicInteger();
  private volatile boolean refusing;
  private volatile byte[] loseAnswerAfter;
  private volatile boolean closed;

  /** A proxy to {@code host:port}, accepting from now on. */
  TcpProxy(String host, int port) {
    this.target = new InetSocketAddress(host, port);
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot open the proxy's port", e);
    }
    Thread acceptor = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy to the host and port of {@code uri} (a JDBC URL's or an endpoint's). */
  static TcpProxy to(URI uri) {
    return new TcpProxy(uri.getHost(), uri.getPort());
  }

  int port() {
    return listener.getLocalPort();
  }

  /** {@code jdbc:postgresql://host:port/db?...} with host and port replaced by the proxy's. */
  String jdbcUrl(String jdbcUrl) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    return "jdbc:" + uri.getScheme() + "://127.0.0.1:" + port() + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** {@code http://host:port} of an endpoint, replaced by the proxy's. */
  String endpoint(URI endpoint) {
    return endpoint.getScheme() + "://127.0.0.1:" + port();
  }

  /** Closes every open connection now; returns how many pairs were cut. */
  int cutAll() {
    int pairs = 0;
    for (Pair p : open) {
      if (open.remove(p)) {
        reset(p.client());
        reset(p.server());
        pairs++;
      }
    }
    cut.addAndGet(pairs);
    return pairs;
  }

  /** From now on, new connections are reset at once. */
  void refuseNew() {
    refusing = true;
  }

  /** Cuts what is open and refuses what comes: the server is down, as far as the clients can tell. */
  void down() {
    refuseNew();
    cutAll();
  }

  /**
   * Arms a one-shot fault: the next time a client sends bytes containing {@code marker} (e.g. the
   * text of a query), they reach the server, but the server's answer never reaches the client:
   * the first bytes the server sends back are dropped and the connection is reset. The server
   * did the work (a statement in autocommit mode is committed before its answer is sent); the
   * client cannot know it.
   */
  void loseAnswerAfter(String marker) {
    loseAnswerAfter = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Whether the fault armed by {@link #loseAnswerAfter} has not struck yet. */
  boolean answerLossArmed() {
    return loseAnswerAfter != null;
  }

  /** Accepts and forwards new connections again. */
  void resume() {
    refusing = false;
  }

  /** Connections forwarded so far. */
  int accepted() {
    return accepted.get();
  }

  /** Connections refused so far. */
  int refused() {
    return refused.get();
  }

  /** Connections open now. */
  int openConnections() {
    return open.size();
  }

  /** Connections cut by {@link #cutAll()} so far. */
  int cutConnections() {
    return cut.get();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (refusing) {
        refused.incrementAndGet();
        reset(client);
        continue;
      }
      Socket server = new Socket();
      try {
        server.connect(target, 5_000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
      } catch (IOException e) {
        reset(client);
        reset(server);
        continue;
      }
      accepted.incrementAndGet();
      Pair pair = new Pair(client, server, new java.util.concurrent.atomic.AtomicBoolean());
      open.add(pair);
      start(pair, client, server, true);
      start(pair, server, client, false);
    }
  }

  private void start(Pair pair, Socket from, Socket to, boolean up) {
    Thread copier = new Thread(() -> copy(pair, from, to, up), "tcp-proxy-" + port() + (up ? "-up" : "-down"));
    copier.setDaemon(true);
    copier.start();
  }

  private void copy(Pair pair, Socket from, Socket to, boolean up) {
    byte[] buffer = new byte[16 * 1024];
    // The tail of the previous read, so that a marker split between two reads is still seen.
    byte[] window = new byte[0];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!up && pair.swallow().get()) {
          // The server's answer: dropped, and the connection reset.
          reset(pair.client());
          reset(pair.server());
          return;
        }
        byte[] marker = loseAnswerAfter;
        if (up && marker != null) {
          // Checked before forwarding, so that the answer cannot overtake the decision.
          byte[] seen = new byte[window.length + n];
          System.arraycopy(window, 0, seen, 0, window.length);
          System.arraycopy(buffer, 0, seen, window.length, n);
          if (indexOf(seen, marker) >= 0) {
            loseAnswerAfter = null;
            pair.swallow().set(true);
          }
          window = Arrays.copyOfRange(seen, Math.max(0, seen.length - marker.length + 1), seen.length);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // cut, or one side closed: close both below
    } finally {
      open.remove(pair);
      close(from);
      close(to);
    }
  }

  private static int indexOf(byte[] data, byte[] marker) {
    outer:
    for (int i = 0; i + marker.length <= data.length; i++) {
      for (int k = 0; k < marker.length; k++) {
        if (data[i + k] != marker[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Closes {@code socket} with a reset (linger 0), so its peer's next read or write fails at once. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed
    }
    close(socket);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
    cutAll();
  }
}
