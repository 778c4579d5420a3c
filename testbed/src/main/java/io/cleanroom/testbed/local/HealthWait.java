package io.cleanroom.testbed.local;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a party's standard gRPC health check ({@code grpc.health.v1.Health}) to answer {@code
 * SERVING}, asking again after every other answer or failure until a deadline. The health check
 * tells the caller only whether the party's server is up.
 */
public final class HealthWait {
  private HealthWait() {}

  /** Runs before every attempt; throws to give up at once (e.g. when the party has exited). */
  @FunctionalInterface
  public interface Round<E extends Exception> {
    void run() throws E;
  }

  /**
   * Asks {@code channel}'s health check until it answers {@code SERVING}: at least once, then again
   * after each pause until {@code timeoutSeconds} have passed.
   *
   * @param callMillis the deadline of each health call
   * @param pauseMillis the pause after each attempt that did not answer {@code SERVING}
   * @param round runs before every attempt
   * @return {@code null} once the party answers {@code SERVING}; otherwise, after the timeout, the
   *     last answer or failure (a serving status, or a gRPC status code and description)
   * @throws InterruptedException if the thread is interrupted during a pause
   */
  public static <E extends Exception> String await(
      ManagedChannel channel, int timeoutSeconds, long callMillis, long pauseMillis, Round<E> round)
      throws E, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    String last = "no answer";
    do {
      round.run();
      // A party that is still starting refuses the first connection; without this the channel
      // would wait out gRPC's exponential reconnect back-off.
      channel.resetConnectBackoff();
      try {
        HealthCheckResponse r =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(callMillis, TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
          return null;
        }
        last = r.getStatus().toString();
      } catch (StatusRuntimeException e) {
        last =
            e.getStatus().getCode()
                + (e.getStatus().getDescription() == null
                    ? ""
                    : " " + e.getStatus().getDescription());
      }
      Thread.sleep(pauseMillis);
    } while (System.nanoTime() < deadline);
    return last;
  }
}
