package io.cleanroom.protocol.study;

import com.google.protobuf.CodedOutputStream;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a study plan's deterministic protobuf serialisation (map entries in key order), the
 * value every participant signs when it joins, so that all parties provably agreed to the same
 * plan.
 */
public final class PlanDigest {
  private PlanDigest() {}

  public static byte[] of(StudyPlan plan) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(canonicalBytes(plan));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The plan's deterministic protobuf serialisation, which the digest is over. */
  public static byte[] canonicalBytes(StudyPlan plan) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      plan.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
