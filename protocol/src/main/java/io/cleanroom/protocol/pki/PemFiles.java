package io.cleanroom.protocol.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/** Reads and writes the PEM files of the consortium PKI. */
final class PemFiles {

  private PemFiles() {}

  static X509Certificate readCertificate(Path file) throws IOException {
    Object object = readPemObject(file, "certificate");
    if (!(object instanceof X509CertificateHolder)) {
      throw new IOException(file + ": not a PEM certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) object);
    } catch (CertificateException e) {
      throw new IOException(file + ": unusable certificate: " + e.getMessage(), e);
    }
  }

  static PrivateKey readPrivateKey(Path file) throws IOException {
    Object object = readPemObject(file, "private key");
    if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
      throw new IOException(file + ": encrypted private keys are not supported");
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (object instanceof PrivateKeyInfo) {
        return converter.getPrivateKey((PrivateKeyInfo) object);
      }
      if (object instanceof PEMKeyPair) {
        return converter.getKeyPair((PEMKeyPair) object).getPrivate();
      }
    } catch (IOException e) {
      throw new IOException(file + ": unusable private key: " + e.getMessage(), e);
    }
    throw new IOException(file + ": not a PEM private key");
  }

  private static Object readPemObject(Path file, String what) throws IOException {
    Object object;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      object = parser.readObject();
    } catch (NoSuchFileException e) {
      throw new IOException("missing " + what + " file: " + file, e);
    } catch (IOException e) {
      throw new IOException(file + ": unreadable PEM " + what + ": " + e.getMessage(), e);
    }
    if (object == null) {
      throw new IOException(file + ": no PEM " + what + " found");
    }
    return object;
  }

  static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(certificate);
    }
    write(file, pem.toString(), false);
  }

  static PKCS10CertificationRequest readCertificationRequest(Path file) throws IOException {
    Object object = readPemObject(file, "certificate signing request");
    if (!(object instanceof PKCS10CertificationRequest)) {
      throw new IOException(file + ": not a PEM certificate signing request (PKCS #10)");
    }
    return (PKCS10CertificationRequest) object;
  }

  static void writeCertificationRequest(Path file, PKCS10CertificationRequest request)
      throws IOException {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(request);
    }
    write(file, pem.toString(), false);
  }

  static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IOException("private key is not PKCS#8 encodable: " + key.getFormat());
    }
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    }
    write(file, pem.toString(), true);
  }

  // Files are never overwritten: re-issuing over existing material is always a mistake here.
  private static void write(Path file, String content, boolean secret) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes = {};
    if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      // Created with 0600 directly, so the key is never readable by others, not even briefly.
      attributes =
          new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
          };
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }
}
