package io.cleanroom.protocol.pki;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Who a party of the consortium is: its name (the certificate subject's CN, e.g. a bank id such as
 * {@code bank-a} or {@code 812}, or {@code coordinator}) and its {@link Role} (the subject's OU).
 *
 * <p>Names are also DNS names in the party's certificate, hence the restricted alphabet.
 *
 * @param name lower-case letters, digits and '-', 1 to 63 characters, not starting with '-'
 * @param role what the party may do
 */
public record PartyIdentity(String name, Role role) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /**
   * @throws IllegalArgumentException if the name is not a valid party name
   */
  public PartyIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "invalid party name: \"" + name + "\" (expected " + NAME.pattern() + ")");
    }
  }

  /** Whether {@code name} may name a party. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * The identity a certificate was issued to: its subject's CN and OU.
   *
   * @throws IllegalArgumentException if the subject lacks a single CN or OU, or they do not name a
   *     valid party and role
   */
  public static PartyIdentity of(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    String name = single(subject, BCStyle.CN, "CN");
    String ou = single(subject, BCStyle.OU, "OU");
    return new PartyIdentity(name, Role.fromLabel(ou));
  }

  private static String single(X500Name subject, ASN1ObjectIdentifier type, String label) {
    RDN[] rdns = subject.getRDNs(type);
    if (rdns.length != 1 || rdns[0].isMultiValued()) {
      throw new IllegalArgumentException(
          "certificate subject must have exactly one " + label + ": " + subject);
    }
    ASN1Encodable value = rdns[0].getFirst().getValue();
    if (!(value instanceof ASN1String)) {
      throw new IllegalArgumentException("certificate subject " + label + " is not a string");
    }
    return ((ASN1String) value).getString();
  }

  /** {@code name/role}, e.g. {@code bank-a/node}. */
  @Override
  public String toString() {
    return name + "/" + role.label();
  }
}
