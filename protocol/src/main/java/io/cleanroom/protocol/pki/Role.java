package io.cleanroom.protocol.pki;

import java.util.Locale;

/**
 * What a party may do in the consortium; encoded in its certificate as the subject's OU, in lower
 * case ({@link #label()}).
 */
public enum Role {
  /** A bank node that holds data and takes part in studies. */
  NODE,
  /** The third party that orchestrates studies between the nodes. */
  COORDINATOR,
  /** An operator of the third party (or the local testbed) that submits studies. */
  OPERATOR;

  /** The certificate OU for this role, e.g. {@code "node"}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The role whose {@link #label()} is {@code label}.
   *
   * @throws IllegalArgumentException if no role has that label
   */
  public static Role fromLabel(String label) {
    for (Role role : values()) {
      if (role.label().equals(label)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role: \"" + label + "\"");
  }
}
