package org.flashflow.common.tls;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Reads a peer's name from its certificate. The name is the subject's organizationName ({@code
 * O=}), as in the original FlashFlow; peers are authenticated by pinning, so the name only labels
 * an already trusted certificate.
 */
public final class Certificates {
  private Certificates() {}

  /**
   * Returns the subject's single {@code O=} value, or empty if there is none or more than one (a
   * peer with two names has no name we could log or match).
   */
  public static Optional<String> organization(X509Certificate cert) {
    List<String> values = organizations(cert);
    return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
  }

  /**
   * As {@link #organization}, but for callers that cannot go on without a name.
   *
   * @throws IllegalArgumentException saying whether {@code O=} is absent or repeated
   */
  public static String requireOrganization(X509Certificate cert) {
    List<String> values = organizations(cert);
    if (values.size() == 1) {
      return values.get(0);
    }
    String subject = cert.getSubjectX500Principal().getName();
    throw new IllegalArgumentException(
        values.isEmpty()
            ? "certificate subject \"" + subject + "\" has no organization (O=) to name the peer"
            : "certificate subject \"" + subject + "\" has " + values.size() + " O= values");
  }

  private static List<String> organizations(X509Certificate cert) {
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    List<String> values = new ArrayList<>();
    for (RDN rdn : subject.getRDNs(BCStyle.O)) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getType().equals(BCStyle.O)) {
          values.add(asString(atv.getValue()));
        }
      }
    }
    return values;
  }

  private static String asString(ASN1Encodable value) {
    if (value instanceof ASN1String) {
      return ((ASN1String) value).getString();
    }
    throw new IllegalArgumentException("certificate O= value is not a string: " + value);
  }
}
