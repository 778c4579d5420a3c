package io.cleanroom.coordinator.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's page, script and style sheet, read from this jar once. Only these names are served:
 * a request cannot name any other resource or file.
 */
final class StaticAssets {

  private static final String CSP =
      "default-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none';"
          + " object-src 'none'";

  private static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8",
          "console.css", "text/css; charset=utf-8");

  private static final Map<String, ConsoleServer.Response> ASSETS = load();

  private StaticAssets() {}

  /** The asset named {@code name}, if it is one of the console's. */
  static Optional<ConsoleServer.Response> get(String name) {
    return Optional.ofNullable(ASSETS.get(name));
  }

  private static Map<String, ConsoleServer.Response> load() {
    Map<String, ConsoleServer.Response> assets = new java.util.HashMap<>();
    TYPES.forEach(
        (name, type) -> {
          try (InputStream in = StaticAssets.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
              throw new IllegalStateException("console asset " + name + " missing from the jar");
            }
            assets.put(name, new ConsoleServer.Response(200, type, in.readAllBytes(), false, CSP));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read console asset " + name, e);
          }
        });
    return Map.copyOf(assets);
  }
}
