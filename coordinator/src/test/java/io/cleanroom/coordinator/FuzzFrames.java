package io.cleanroom.coordinator;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.cleanroom.protocol.testing.AsParty;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
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

  private static AsParty parties;

  private final ByteArrayInputStream in;

  public FuzzFrames(byte[] input) {
    this.in = new ByteArrayInputStream(input);
  }

  /** The caller the next byte names, or {@code null} at the end of the input. */
  public String caller() {
    int b = in.read();
    return b < 0 ? null : CALLERS.get(b % CALLERS.size());
  }

  /** A caller and the byte naming what it does. */
  public record Action(String caller, int code) {}

  /** The next caller and action byte, or {@code null} if the input ends before both. */
  public Action action() {
    String caller = caller();
    int code = caller == null ? -1 : in.read();
    return code < 0 ? null : new Action(caller, code);
  }

  /**
   * The parties of the fuzz tests: bank-a, bank-b, bank-c, the coordinator and the operator, made
   * once per JVM (issuing their certificates is slow).
   */
  public static synchronized AsParty parties() throws IOException, GeneralSecurityException {
    if (parties == null) {
      parties = new AsParty(List.of("bank-a", "bank-b", "bank-c"));
    }
    return parties;
  }

  /**
   * The next length-delimited message, or {@code null} if the input ends or what follows is not a
   * protocol buffer of that type.
   *
   * <p>The message's bytes are read first and parsed from an array, as gRPC parses what arrives.
   * Parsing straight from the stream ({@code parseDelimitedFrom}) would go through protobuf-java's
   * stream decoder, which in 3.25.9 throws {@code ArrayIndexOutOfBoundsException} instead of {@code
   * InvalidProtocolBufferException} on some malformed packed fields (found by the linkage target;
   * its input is kept in that target's corpus).
   */
  public <M> M message(Parser<M> parser) {
    try {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      int length = CodedInputStream.readRawVarint32(first, in);
      if (length < 0 || length > in.available()) {
        return null;
      }
      return parser.parseFrom(in.readNBytes(length));
    } catch (InvalidProtocolBufferException e) {
      return null;
    } catch (java.io.IOException e) {
      // readRawVarint32 on a truncated or overlong length
      return null;
    }
  }
}
