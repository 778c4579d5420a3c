package io.cleanroom.node.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** A bank's tables as the CSV files of its data folder, named by {@link BankFile#fileName()}. */
final class CsvFolderTables implements BankTables {
  private final Path dir;
  private final String bankId;

  CsvFolderTables(Path dir, String bankId) {
    this.dir = dir;
    this.bankId = bankId;
  }

  @Override
  public String label(BankFile table) {
    return bankId + "/" + table.fileName();
  }

  @Override
  public String noun() {
    return "file";
  }

  @Override
  public boolean exists(BankFile table) {
    return Files.isRegularFile(path(table));
  }

  @Override
  public RowReader open(BankFile table, Problems problems) throws java.io.IOException {
    return DataFileReader.open(
        path(table), label(table), table.requiredColumns(), table.optionalColumns(), problems);
  }

  @Override
  public void close() {}

  private Path path(BankFile table) {
    return dir.resolve(table.fileName());
  }
}
