package de.werkraum.account;

import de.werkraum.web.ApiError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Length limits and the refusal of well-known passwords (list shipped in common-passwords.txt). */
public final class PasswordPolicy {

  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 128;

  private final Set<String> common;

  private PasswordPolicy(Set<String> common) {
    this.common = common;
  }

  public static PasswordPolicy load() {
    Set<String> words = new HashSet<>();
    try (var in = PasswordPolicy.class.getResourceAsStream("/common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("common-passwords.txt missing from the classpath");
      }
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (!line.isBlank() && !line.startsWith("#")) {
          words.add(line.strip().toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PasswordPolicy(words);
  }

  public int size() {
    return common.size();
  }

  /** Throws the matching error code if the password may not be used. */
  public void check(String password, String field) {
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      throw new ApiError(400, "password_too_short", "Passwords need at least " + MIN_LENGTH + " characters", field);
    }
    if (length > MAX_LENGTH) {
      throw new ApiError(400, "password_too_long", "Passwords may have at most " + MAX_LENGTH + " characters", field);
    }
    if (common.contains(password.toLowerCase(Locale.ROOT))) {
      throw new ApiError(400, "password_too_common", "This password is too common; choose another", field);
    }
  }
}
