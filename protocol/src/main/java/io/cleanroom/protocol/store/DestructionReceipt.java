package io.cleanroom.protocol.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bank node's signed statement that it destroyed everything it stored for one study.
 *
 * <p>The node's session store produces the {@link Unsigned} part when it destroys a study's folder;
 * the node signs it with its certificate key ({@link Unsigned#sign(TlsMaterial)}) and hands it to
 * whoever audits the study, who checks it with {@link #verify(X509Certificate)}.
 *
 * <p>The signature covers {@link #signedBytes()}, a canonical encoding that does not depend on
 * JSON: the ASCII tag {@value #FORMAT}, the study id and the node name as length-prefixed UTF-8
 * (4-byte big-endian length, then the bytes), then {@code files}, {@code bytes} as 8-byte
 * big-endian integers, the 32-byte listing digest (length-prefixed like a string), and {@code
 * destroyedAtMillis} as an 8-byte big-endian integer. The tag is length-prefixed too.
 *
 * @param studyId the study whose data was destroyed
 * @param node the name of the node that destroyed it, as in its certificate's CN
 * @param files number of files deleted from the study's folder
 * @param bytes total size in bytes of the deleted files, as stored on disk (ciphertext)
 * @param listingSha256 lower-case hex SHA-256 of the sorted list of (name, size) deleted, as
 *     defined by the session store
 * @param destroyedAtMillis when destruction completed, milliseconds since the Unix epoch
 * @param signature SHA256withECDSA signature (DER) of {@link #signedBytes()} by the node's key
 */
public record DestructionReceipt(
    String studyId,
    String node,
    long files,
    long bytes,
    String listingSha256,
    long destroyedAtMillis,
    byte[] signature) {

  /** Tag at the start of the signed encoding; changes whenever the encoding does. */
  public static final String FORMAT = "cleanroom-destruction-receipt-v1";

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /**
   * @throws IllegalArgumentException if a field is missing or out of range
   */
  public DestructionReceipt {
    checkFields(studyId, files, bytes, listingSha256);
    if (node == null || node.isEmpty()) {
      throw new IllegalArgumentException(
          "destruction receipt for study " + studyId + ": node name is missing");
    }
    if (signature == null || signature.length == 0) {
      throw new IllegalArgumentException(
          "destruction receipt for study " + studyId + " from node " + node + ": no signature");
    }
    signature = signature.clone();
  }

  /** A copy of the signature. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The fields without the node name and signature, as the session store reports them. */
  public Unsigned unsigned() {
    return new Unsigned(studyId, files, bytes, listingSha256, destroyedAtMillis);
  }

  /** The canonical encoding the signature covers (see the class comment). */
  public byte[] signedBytes() {
    return encode(studyId, node, files, bytes, listingSha256, destroyedAtMillis);
  }

  /**
   * Checks that {@code signer} is this receipt's node and signed exactly these fields.
   *
   * <p>Does not check who issued {@code signer}: callers check the certificate against the
   * consortium CA first.
   *
   * @throws CertificateException if {@code signer} is not the node certificate of {@link #node()}
   * @throws SignatureException if the signature does not match the fields
   */
  public void verify(X509Certificate signer) throws GeneralSecurityException {
    PartyIdentity certified;
    try {
      certified = PartyIdentity.of(signer);
    } catch (IllegalArgumentException e) {
      throw new CertificateException(
          "destruction receipt for study "
              + studyId
              + " from node "
              + node
              + ": signer certificate names no party: "
              + e.getMessage(),
          e);
    }
    if (!certified.name().equals(node) || certified.role() != Role.NODE) {
      throw new CertificateException(
          "destruction receipt for study "
              + studyId
              + " claims node "
              + node
              + " but is checked against the certificate of "
              + certified);
    }
    try {
      TlsMaterial.verify(signer, signedBytes(), signature);
    } catch (SignatureException e) {
      throw new SignatureException(
          "destruction receipt for study "
              + studyId
              + " from node "
              + node
              + ": signature does not match its contents",
          e);
    }
  }

  /** One line of JSON with every field; the signature is base64. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write destruction receipt as JSON", e);
    }
  }

  /**
   * Reads what {@link #toJson()} wrote. Does not verify the signature.
   *
   * @throws IllegalArgumentException if {@code json} is not a complete, valid receipt
   */
  public static DestructionReceipt fromJson(String json) {
    try {
      return JSON.readValue(json, DestructionReceipt.class);
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      String reason =
          cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
      throw new IllegalArgumentException("not a valid destruction receipt: " + reason, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DestructionReceipt r
        && files == r.files
        && bytes == r.bytes
        && destroyedAtMillis == r.destroyedAtMillis
        && studyId.equals(r.studyId)
        && node.equals(r.node)
        && listingSha256.equals(r.listingSha256)
        && Arrays.equals(signature, r.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(studyId, node, files, bytes, listingSha256, destroyedAtMillis)
        + 31 * Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "DestructionReceipt[study="
        + studyId
        + ", node="
        + node
        + ", files="
        + files
        + ", bytes="
        + bytes
        + ", listingSha256="
        + listingSha256
        + ", destroyedAt="
        + Instant.ofEpochMilli(destroyedAtMillis)
        + "]";
  }

  /**
   * What a node knows right after destroying a study's folder, before it signs.
   *
   * @param studyId the study whose data was destroyed
   * @param files number of files deleted
   * @param bytes total size in bytes of the deleted files, as stored on disk
   * @param listingSha256 lower-case hex SHA-256 of the sorted list of (name, size) deleted
   * @param destroyedAtMillis when destruction completed, milliseconds since the Unix epoch
   */
  public record Unsigned(
      String studyId, long files, long bytes, String listingSha256, long destroyedAtMillis) {

    /**
     * @throws IllegalArgumentException if a field is missing or out of range
     */
    public Unsigned {
      checkFields(studyId, files, bytes, listingSha256);
    }

    /**
     * Signs these fields as {@code node}, whose name is taken from its certificate.
     *
     * @throws GeneralSecurityException if the key cannot sign
     */
    public DestructionReceipt sign(TlsMaterial node) throws GeneralSecurityException {
      String name = node.self().name();
      byte[] signature =
          node.sign(encode(studyId, name, files, bytes, listingSha256, destroyedAtMillis));
      return new DestructionReceipt(
          studyId, name, files, bytes, listingSha256, destroyedAtMillis, signature);
    }
  }

  private static void checkFields(String studyId, long files, long bytes, String listingSha256) {
    if (studyId == null || studyId.isEmpty()) {
      throw new IllegalArgumentException("destruction receipt: study id is missing");
    }
    if (files < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "destruction receipt for study "
              + studyId
              + ": negative count (files "
              + files
              + ", bytes "
              + bytes
              + ")");
    }
    if (listingSha256 == null || !SHA256_HEX.matcher(listingSha256).matches()) {
      throw new IllegalArgumentException(
          "destruction receipt for study "
              + studyId
              + ": listing digest \""
              + listingSha256
              + "\" is not 64 lower-case hex digits");
    }
  }

  private static byte[] encode(
      String studyId,
      String node,
      long files,
      long bytes,
      String listingSha256,
      long destroyedAtMillis) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    putBytes(out, FORMAT.getBytes(StandardCharsets.US_ASCII));
    putBytes(out, studyId.getBytes(StandardCharsets.UTF_8));
    putBytes(out, node.getBytes(StandardCharsets.UTF_8));
    putLong(out, files);
    putLong(out, bytes);
    putBytes(out, HexFormat.of().parseHex(listingSha256));
    putLong(out, destroyedAtMillis);
    return out.toByteArray();
  }

  private static void putBytes(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
    out.writeBytes(value);
  }

  private static void putLong(ByteArrayOutputStream out, long value) {
    out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
  }
}
