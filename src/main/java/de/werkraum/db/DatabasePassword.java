package de.werkraum.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The embedded database's superuser password: generated once, kept in {@code postgres-password} in the data
 * folder (readable by its owner only), and required for every connection ({@code scram-sha-256} in
 * {@code pg_hba.conf}). Folders from before (initdb with {@code trust}) are moved over on start.
 */
final class DatabasePassword {

  static final String FILE_NAME = "postgres-password";
  static final String METHOD = "scram-sha-256";
  private static final Pattern SAFE = Pattern.compile("[0-9a-f]{32,128}");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /** Every connection needs the password; the file is ours from now on. */
  static final String HBA = String.join("\n",
      "# Written by Werkraum: every connection needs the password in ../" + FILE_NAME + ".",
      "local all all " + METHOD,
      "host all all 127.0.0.1/32 " + METHOD,
      "host all all ::1/128 " + METHOD,
      "local replication all " + METHOD,
      "host replication all 127.0.0.1/32 " + METHOD,
      "host replication all ::1/128 " + METHOD,
      "");

  private DatabasePassword() {}

  static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /** Reads the password, creating it (mode 0600) if the folder has none yet. */
  static String readOrCreate(Path dataDir) throws IOException {
    Path file = file(dataDir);
    if (!Files.exists(file)) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      Path tmp = dataDir.resolve(FILE_NAME + ".new");
      Files.deleteIfExists(tmp);
      if (POSIX) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
      Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        Files.deleteIfExists(tmp);
      }
    }
    if (POSIX && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
    String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (!SAFE.matcher(password).matches()) {
      throw new IOException(file + " does not hold a password written by Werkraum");
    }
    return password;
  }

  /** Whether {@code pg_hba.conf} still lets any connection in without a password (a folder from before). */
  static boolean hbaTrusts(Path pgData) throws IOException {
    Path hba = pgData.resolve("pg_hba.conf");
    if (!Files.exists(hba)) {
      return false;
    }
    List<String> lines = Files.readAllLines(hba, StandardCharsets.UTF_8);
    for (String line : lines) {
      String rule = line.replaceFirst("#.*", "").trim();
      if (!rule.isEmpty() && List.of(rule.split("\\s+")).contains("trust")) {
        return true;
      }
    }
    return false;
  }

  /** Replaces {@code pg_hba.conf} in one step (the server reads it again on reload). */
  static void writeHba(Path pgData) throws IOException {
    Path tmp = pgData.resolve("pg_hba.conf.werkraum-new");
    Files.writeString(tmp, HBA, StandardCharsets.UTF_8);
    if (POSIX) {
      Files.setPosixFilePermissions(tmp, OWNER_ONLY);
    }
    Files.move(tmp, pgData.resolve("pg_hba.conf"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
