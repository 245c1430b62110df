package org.flashflow.common.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the key and self-signed certificate of a coordinator or measurer into one PEM file (what
 * {@code openssl req -x509 -newkey ec -subj /O=NAME} would give).
 *
 * <p>Peers pin each other's certificates, so no CA ever checks the validity period; it is long
 * (about a century, like the original implementation's) so that a pinned key never expires under an
 * operator. The file holds an unencrypted key, so it is created with mode 0600 and appears under
 * its final name only once complete, and an existing file is never replaced: overwriting a key that
 * peers have pinned would silently lock this node out.
 */
public final class KeyGen {
  private static final Logger LOG = LoggerFactory.getLogger(KeyGen.class);

  /** X.520's upper bound for organizationName. */
  public static final int MAX_NAME_LENGTH = 64;

  private static final Duration BACKDATE = Duration.ofDays(1);
  private static final Duration VALIDITY = Duration.ofDays(36_525);
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");

  private KeyGen() {}

  /**
   * Generates a key pair and a certificate with subject and issuer {@code O=name} and writes them
   * to {@code pemFile}, creating its directory (mode 0700) if needed.
   *
   * @throws IllegalArgumentException if the name is not acceptable (see {@link #checkName})
   * @throws FileAlreadyExistsException if {@code pemFile} exists; it is left untouched
   * @throws IOException if the file cannot be written
   */
  public static void generate(String name, Path pemFile) throws IOException {
    generate(name, pemFile, Clock.systemUTC());
  }

  /** As {@link #generate(String, Path)}, with the validity period starting from {@code clock}. */
  public static void generate(String name, Path pemFile, Clock clock) throws IOException {
    checkName(name);
    if (Files.exists(pemFile, LinkOption.NOFOLLOW_LINKS)) {
      throw alreadyExists(pemFile);
    }
    KeyPair keyPair = newKeyPair();
    X509Certificate cert = selfSign(name, keyPair, clock.instant());
    String pem = Pem.encode("PRIVATE KEY", keyPair.getPrivate().getEncoded()) + Pem.encode(cert);
    writeNew(pemFile, pem.getBytes(StandardCharsets.US_ASCII));
    LOG.debug("wrote key and certificate for O={} to {}", name, pemFile);
  }

  /**
   * Refuses names that would make a confusing file name, log line or certificate subject: the name
   * must be 1 to {@value #MAX_NAME_LENGTH} printable ASCII characters, contain no {@code /} and not
   * start or end with a space. ASCII only, because names are compared by operators by eye and
   * Unicode look-alikes would let two measurers pass for one.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "name is " + name.length() + " characters long; at most " + MAX_NAME_LENGTH + " allowed");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            String.format("name must be printable ASCII; character %d is U+%04X", i + 1, (int) c));
      }
      if (c == '/') {
        throw new IllegalArgumentException("name must not contain '/'");
      }
    }
    if (name.charAt(0) == ' ' || name.charAt(name.length() - 1) == ' ') {
      throw new IllegalArgumentException("name must not start or end with a space");
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
    }
  }

  private static X509Certificate selfSign(String name, KeyPair keyPair, Instant now) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, name).build();
    // 127 random bits with the top bit set: positive, non-zero, and within RFC 5280's 20 octets.
    BigInteger serial = new BigInteger(128, new SecureRandom()).setBit(127);
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial,
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(VALIDITY)),
              subject,
              keyPair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate());
      X509CertificateHolder holder = builder.build(signer);
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a self-signed certificate", e);
    }
  }

  /**
   * Writes a temporary file and publishes it with {@code link(2)}, which, unlike {@code rename(2)}
   * (what ATOMIC_MOVE is on Linux), fails rather than replacing an existing file. A reader thus
   * sees either no file or the complete one, and a concurrent writer never loses.
   */
  private static void writeNew(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir, asAttribute(DIR_MODE));
    Path tmp =
        Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", asAttribute(FILE_MODE));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        throw alreadyExists(target);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  /** Makes the new directory entry durable; best effort, as not every file system allows it. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.debug("could not fsync directory {}: {}", dir, e.toString());
    }
  }

  private static FileAlreadyExistsException alreadyExists(Path file) {
    return new FileAlreadyExistsException(
        file.toString(), null, "already exists; refusing to overwrite a key file");
  }

  private static FileAttribute<Set<PosixFilePermission>> asAttribute(
      Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }
}
