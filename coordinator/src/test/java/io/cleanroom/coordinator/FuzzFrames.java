package io.cleanroom.coordinator;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * Reads a fuzz input as the frames the coordinator's service fuzz tests share: one byte naming the
 * caller, then, depending on the test, one byte naming an action and a length-delimited message.
 */
public final class FuzzFrames {
  /**
   * The parties a caller byte names, modulo their number: both participants, an outsider, the
   * operator.
   */
  public static final List<String> CALLERS = List.of("bank-a", "bank-b", "bank-c", "operator");

  private final ByteArrayInputStream in;

  public FuzzFrames(byte[] input) {
    this.in = new ByteArrayInputStream(input);
  }

  /** The caller the next byte names, or {@code null} at the end of the input. */
  public String caller() {
    int b = in.read();
    return b < 0 ? null : CALLERS.get(b % CALLERS.size());
  }

  /** The next byte, naming an action, or -1 at the end of the input. */
  public int action() {
    return in.read();
  }

  /**
   * The next length-delimited message, or {@code null} if the input ends or what follows is not a
   * protocol buffer of that type.
   */
  public <M> M message(Parser<M> parser) {
    try {
      return parser.parseDelimitedFrom(in);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
