#include "sqlite_store.h"

#include <sqlite3.h>

#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <memory>

#include "geosim/error.h"
#include "geosim/io.h"

namespace geosim {
namespace {

using Database = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Statement = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

[[noreturn]] void fail(const std::filesystem::path& path, sqlite3* db) {
  throw IoError(fmt::format("{}: error: cannot write database: {}", path.string(), db ? sqlite3_errmsg(db) : "out of memory"));
}

void exec(sqlite3* db, const std::filesystem::path& path, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(path, db);
}

std::string quote_name(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

void bind_value(sqlite3_stmt* statement, int index, const std::string& text) {
  if (text.empty()) {
    sqlite3_bind_null(statement, index);
    return;
  }
  long long integer = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (error == std::errc() && end == text.data() + text.size()) {
    sqlite3_bind_int64(statement, index, integer);
    return;
  }
  double real = 0;
  auto [end2, error2] = std::from_chars(text.data(), text.data() + text.size(), real);
  if (error2 == std::errc() && end2 == text.data() + text.size()) {
    sqlite3_bind_double(statement, index, real);
    return;
  }
  sqlite3_bind_text(statement, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void import_table(sqlite3* db, const std::filesystem::path& path, const CsvTable& table) {
  std::ifstream in(table.csv, std::ios::binary);
  std::vector<std::string> header;
  if (!in || !read_csv_record(in, header)) throw IoError(fmt::format("{}: error: cannot read", table.csv.string()));
  std::string columns, slots;
  for (std::size_t i = 0; i < header.size(); ++i) {
    columns += (i ? ", " : "") + quote_name(header[i]);
    slots += i ? ", ?" : "?";
  }
  exec(db, path, fmt::format("CREATE TABLE {} ({})", quote_name(table.name), columns));
  sqlite3_stmt* raw = nullptr;
  const std::string insert = fmt::format("INSERT INTO {} VALUES ({})", quote_name(table.name), slots);
  if (sqlite3_prepare_v2(db, insert.c_str(), -1, &raw, nullptr) != SQLITE_OK) fail(path, db);
  const Statement statement(raw, &sqlite3_finalize);
  std::vector<std::string> fields;
  while (read_csv_record(in, fields)) {
    for (std::size_t i = 0; i < header.size(); ++i) bind_value(raw, static_cast<int>(i + 1), i < fields.size() ? fields[i] : "");
    if (sqlite3_step(raw) != SQLITE_DONE) fail(path, db);
    sqlite3_reset(raw);
  }
}

void write_manifest(sqlite3* db, const std::filesystem::path& path,
                    const std::vector<std::pair<std::string, std::string>>& manifest) {
  exec(db, path, "CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT)");
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO manifest VALUES (?, ?)", -1, &raw, nullptr) != SQLITE_OK) fail(path, db);
  const Statement statement(raw, &sqlite3_finalize);
  for (const auto& [key, value] : manifest) {
    sqlite3_bind_text(raw, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(raw, 2, value.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(raw) != SQLITE_DONE) fail(path, db);
    sqlite3_reset(raw);
  }
}

}  // namespace

void write_sqlite(const std::filesystem::path& path, const std::vector<CsvTable>& tables,
                  const std::vector<std::pair<std::string, std::string>>& manifest) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  std::filesystem::remove(temporary);
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open(temporary.c_str(), &raw);
  Database db(raw, &sqlite3_close);
  if (opened != SQLITE_OK) fail(path, raw);
  exec(raw, path, "PRAGMA journal_mode = OFF; PRAGMA synchronous = FULL; BEGIN");
  for (const CsvTable& table : tables) import_table(raw, path, table);
  write_manifest(raw, path, manifest);
  exec(raw, path, "COMMIT");
  db.reset();
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw IoError(fmt::format("{}: error: cannot rename: {}", path.string(), error.message()));
}

}  // namespace geosim
