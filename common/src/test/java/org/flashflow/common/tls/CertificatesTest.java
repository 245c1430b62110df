package org.flashflow.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CertificatesTest {
  @Test
  void organizationAmongOtherAttributes() throws Exception {
    X509Certificate cert = selfSigned("CN=relay.example, O=carol\\, inc., C=DE");
    assertEquals(Optional.of("carol, inc."), Certificates.organization(cert));
    assertEquals("carol, inc.", Certificates.requireOrganization(cert));
  }

  @Test
  void multiValuedRdn() throws Exception {
    X509Certificate cert = selfSigned("CN=x+O=dave");
    assertEquals(Optional.of("dave"), Certificates.organization(cert));
  }

  @Test
  void absentOrganization() throws Exception {
    X509Certificate cert = selfSigned("CN=nobody");
    assertEquals(Optional.empty(), Certificates.organization(cert));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Certificates.requireOrganization(cert));
    assertTrue(e.getMessage().contains("CN=nobody"), e.getMessage());
    assertTrue(e.getMessage().contains("no organization (O=)"), e.getMessage());
  }

  @Test
  void ambiguousOrganization() throws Exception {
    X509Certificate cert = selfSigned("O=alice, O=mallory");
    assertEquals(Optional.empty(), Certificates.organization(cert));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Certificates.requireOrganization(cert));
    assertTrue(e.getMessage().contains("2 O= values"), e.getMessage());
  }

  private static X509Certificate selfSigned(String dn) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = gen.generateKeyPair();
    X500Name name = new X500Name(dn);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.ONE,
                    Date.from(t),
                    Date.from(t.plusSeconds(3600)),
                    name,
                    kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
  }
}
