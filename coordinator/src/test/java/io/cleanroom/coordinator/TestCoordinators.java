package io.cleanroom.coordinator;

import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.nio.file.Path;

/** Coordinators for the coordinator's tests, started on a free port of the loopback address. */
public final class TestCoordinators {
  private TestCoordinators() {}

  /**
   * Starts a coordinator with the TLS material of {@code temp/pki/coordinator} (a consortium made
   * with {@code ConsortiumPki.init(temp.resolve("pki"), ...)}), a 2 s join timeout, its records
   * under {@code temp/records}, its log signing key in {@code temp/log-signing-key.pem} and no
   * transcripts or console.
   */
  public static Coordinator start(Path temp) throws Exception {
    return new Coordinator(
            new CoordinatorConfig.Resolved(
                "coordinator",
                Endpoint.parse("127.0.0.1:0"),
                temp.resolve("pki/coordinator"),
                2,
                temp.resolve("records"),
                temp.resolve("log-signing-key.pem"),
                null),
            TlsMaterial.loadDir(temp.resolve("pki/coordinator")))
        .start();
  }
}
