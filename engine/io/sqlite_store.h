#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace geosim {

/// One table to store: its name and the CSV file (header row first) that holds it.
struct CsvTable {
  std::string name;
  std::filesystem::path csv;
};

/// Writes an SQLite database at `path` holding each CSV as a table (column names as in the
/// header, numbers stored as REAL or INTEGER, empty fields as NULL, other text as TEXT) and a
/// table `manifest(key TEXT, value TEXT)`. Built in a temporary file and renamed, so the
/// database is either complete or absent. Throws IoError.
void write_sqlite(const std::filesystem::path& path, const std::vector<CsvTable>& tables,
                  const std::vector<std::pair<std::string, std::string>>& manifest);

}  // namespace geosim
