package io.cleanroom.protocol.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Exact matching of a host against a certificate's subject alternative names. */
final class SubjectAltNames {

  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private SubjectAltNames() {}

  /**
   * Whether {@code host} is one of the certificate's DNS names (ignoring case) or, if it is a
   * dotted-quad IPv4 or an IPv6 literal, one of its IP addresses.
   */
  static boolean matches(X509Certificate certificate, String host) {
    String name = host;
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    byte[] address = ipLiteral(name);
    Collection<List<?>> sans;
    try {
      sans = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (sans == null) {
      return false;
    }
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      String value = (String) san.get(1);
      if (address == null && type == DNS_NAME && value.equalsIgnoreCase(name)) {
        return true;
      }
      if (address != null && type == IP_ADDRESS && Arrays.equals(address, ipLiteral(value))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] ipLiteral(String host) {
    if (!host.contains(":") && !IPV4.matcher(host).matches()) {
      return null;
    }
    try {
      // Only literals reach this point, so no name lookup happens.
      return InetAddress.getByName(host.toLowerCase(Locale.ROOT)).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
