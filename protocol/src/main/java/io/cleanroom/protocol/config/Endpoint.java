package io.cleanroom.protocol.config;

/** A network address {@code host:port} from a configuration file. */
public record Endpoint(String host, int port) {

  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("address has no host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
    }
  }

  /** Parses {@code host:port}; an IPv6 host is written in brackets, {@code [::1]:7000}. */
  public static Endpoint parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("address is missing");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("address \"" + text + "\" is not host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new Endpoint(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address \"" + text + "\" has no numeric port", e);
    }
  }

  /** The gRPC target string. */
  public String target() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return target();
  }
}
