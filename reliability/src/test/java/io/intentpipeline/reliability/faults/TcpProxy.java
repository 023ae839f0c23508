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
  /** A forwarded connection: the client's socket and the one to the target. */
  private record Pair(Socket client, Socket server) {}

  private final Set<Pair> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger cut = new AtomicInteger();
  private volatile boolean refusing;
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
      Pair pair = new Pair(client, server);
      open.add(pair);
      start(pair, client, server, "up");
      start(pair, server, client, "down");
    }
  }

  private void start(Pair pair, Socket from, Socket to, String direction) {
    Thread copier = new Thread(() -> copy(pair, from, to), "tcp-proxy-" + port() + "-" + direction);
    copier.setDaemon(true);
    copier.start();
  }

  private void copy(Pair pair, Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
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
