package io.cleanroom.protocol.transport;

import io.cleanroom.protocol.wire.v1.Batch;
import java.util.List;

/**
 * One party's connection to the other parties of one study.
 *
 * <p>Messages are vectors of elements of Z_2^64. Each message is addressed to one party and
 * labelled with a protocol step; a step label is used at most once per directed channel and study,
 * so a message can never be mistaken for one of another step. Messages on one directed channel
 * arrive in the order they were sent.
 *
 * <p>Implementations are safe for one protocol thread per party; {@link #send} does not wait for
 * the receiver to call {@link #receive}.
 */
public interface Transport {

  /** The study this transport belongs to. */
  String studyId();

  /** This party's name. */
  String self();

  /** All parties of the study, this one included, in party order. */
  List<String> parties();

  /** Sends {@code values} to party {@code to} as the message of step {@code step}. */
  void send(String to, String step, Batch.Kind kind, long[] values);

  /**
   * Waits for the message of step {@code step} from party {@code from}.
   *
   * @throws StudyAbortedException if the study stopped (a refused message, a peer's abort, a
   *     timeout) before the message arrived
   */
  long[] receive(String from, String step);

  /** Protocol payload bytes this party has sent so far in the study, headers included. */
  long bytesSent();

  /** The index of this party in {@link #parties()}. */
  default int selfIndex() {
    return parties().indexOf(self());
  }
}
