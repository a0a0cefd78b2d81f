// CSV tables of actors for the bdm model: every problem reported at once, each at its cell.
#include "bdm_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "geosim/error.h"

namespace geosim::agents::bdm {
namespace {

constexpr std::array<std::string_view, 4> kColumns = {"Actor", "Capability", "Position", "Salience"};
enum Column { kActor, kCapability, kPosition, kSalience };

struct Cell {
  std::string text;  ///< unquoted, surrounding blanks removed
  int column = 1;    ///< 1-based byte column where the cell's text starts
};

struct Line {
  int number = 0;
  std::string text;
  std::vector<Cell> cells;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits one CSV line; quoted cells may hold commas and doubled quotes ("").
std::vector<Cell> split_cells(const std::string& line) {
  std::vector<Cell> cells;
  std::size_t pos = 0;
  while (true) {
    while (pos < line.size() && is_blank(line[pos])) ++pos;
    Cell cell{"", static_cast<int>(pos) + 1};
    if (pos < line.size() && line[pos] == '"') {
      for (++pos; pos < line.size(); ++pos) {
        if (line[pos] != '"') cell.text += line[pos];
        else if (pos + 1 < line.size() && line[pos + 1] == '"') cell.text += line[++pos];
        else break;
      }
      ++pos;  // the closing quote (an unclosed quote runs to the end of the line)
    }
    while (pos < line.size() && line[pos] != ',') cell.text += line[pos++];
    while (!cell.text.empty() && is_blank(cell.text.back())) cell.text.pop_back();
    cells.push_back(std::move(cell));
    if (pos >= line.size()) return cells;
    ++pos;  // the comma
  }
}

// Non-blank lines with their 1-based numbers; a UTF-8 byte order mark and CR line ends are dropped.
std::vector<Line> split_lines(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Line> lines;
  int number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++number;
    if (!std::all_of(line.begin(), line.end(), is_blank)) lines.push_back({number, line, split_cells(line)});
    start = end + 1;
  }
  return lines;
}

class TableParser {
 public:
  TableParser(std::string file, Scale scale) : file_(std::move(file)), scale_(scale) {}
  Table parse(std::string_view text);

 private:
  void error(const Line& line, int column, std::string message);
  bool find_columns(const Line& header);
  void read_row(const Line& line);
  std::optional<double> number(const Line& line, Column column);
  void apply_scales();
  void check_salience(bool percent);
  void check_table(const Line& header);

  std::string file_;
  Scale scale_;
  std::vector<Diagnostic> errors_;
  std::array<std::size_t, 4> index_{};   ///< where each column is in a row
  std::size_t header_cells_ = 0;
  std::vector<const Line*> rows_;        ///< the line of each actor read
  std::map<std::string, int> first_row_; ///< actor name -> its line
  Table table_;
};

void TableParser::error(const Line& line, int column, std::string message) {
  errors_.push_back({{file_, line.number, column}, std::move(message), line.text});
}

bool TableParser::find_columns(const Line& header) {
  std::vector<std::string> missing;
  header_cells_ = header.cells.size();
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    const auto found = std::find_if(header.cells.begin(), header.cells.end(),
                                    [&](const Cell& cell) { return lower(cell.text) == lower(kColumns[c]); });
    if (found == header.cells.end()) missing.push_back(fmt::format("'{}'", kColumns[c]));
    else index_[c] = static_cast<std::size_t>(found - header.cells.begin());
  }
  if (missing.empty()) return true;
  error(header, 1, fmt::format("missing column{} {}; a table needs the columns Actor, Capability, Position, Salience "
                               "(header names are matched case-insensitively)",
                               missing.size() == 1 ? "" : "s", fmt::join(missing, ", ")));
  return false;
}

std::optional<double> TableParser::number(const Line& line, Column column) {
  const Cell& cell = line.cells[index_[column]];
  std::string_view text = cell.text;
  if (text.starts_with('+')) text.remove_prefix(1);
  double value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  // Out of range: overflow is caught below as not finite, underflow is harmless; strtod gives the
  // saturated value that from_chars leaves unset.
  if (status == std::errc::result_out_of_range) value = std::strtod(std::string(text).c_str(), nullptr);
  if (text.empty() || (status != std::errc() && status != std::errc::result_out_of_range) ||
      end != text.data() + text.size()) {
    error(line, cell.column, fmt::format("{}: expected a number, got '{}'", kColumns[column], cell.text));
    return std::nullopt;
  }
  if (!std::isfinite(value)) {
    error(line, cell.column, fmt::format("{}: expected a finite number, got '{}'", kColumns[column], cell.text));
    return std::nullopt;
  }
  if (column == kCapability && value < 0) {
    error(line, cell.column, fmt::format("{}: must be >= 0, got {}", kColumns[column], cell.text));
    return std::nullopt;
  }
  return value;
}

void TableParser::read_row(const Line& line) {
  if (line.cells.size() != header_cells_) {
    error(line, 1, fmt::format("row has {} cells; the header has {}", line.cells.size(), header_cells_));
    return;
  }
  const Cell& name = line.cells[index_[kActor]];
  if (name.text.empty()) error(line, name.column, "Actor: empty name");
  const auto [first, fresh] = first_row_.emplace(name.text, line.number);
  if (!name.text.empty() && !fresh) {
    error(line, name.column, fmt::format("Actor: duplicate name '{}' (first on line {})", name.text, first->second));
  }
  const auto c = number(line, kCapability), x = number(line, kPosition), s = number(line, kSalience);
  if (!c || !x || !s) return;
  table_.names.push_back(name.text);
  table_.lines.push_back(line.number);
  table_.actors.capability.push_back(*c);
  table_.actors.position.push_back(*x);
  table_.actors.salience.push_back(*s);
  rows_.push_back(&line);
}

// KTAB-style files write capability and salience on 0-100 (MODEL.md uses [0, 1]).
void TableParser::apply_scales() {
  auto above_one = [](const std::vector<double>& values) {
    return std::any_of(values.begin(), values.end(), [](double v) { return v > 1; });
  };
  table_.capability_percent = scale_ == Scale::kPercent || (scale_ == Scale::kAuto && above_one(table_.actors.capability));
  table_.salience_percent = scale_ == Scale::kPercent || (scale_ == Scale::kAuto && above_one(table_.actors.salience));
  check_salience(table_.salience_percent);
  for (double& c : table_.actors.capability) c = table_.capability_percent ? c / 100 : c;
  for (double& s : table_.actors.salience) s = table_.salience_percent ? s / 100 : s;
}

void TableParser::check_salience(bool percent) {
  const double high = percent ? 100 : 1;
  const auto& values = table_.actors.salience;
  for (std::size_t row = 0; row < values.size(); ++row) {
    if (values[row] >= 0 && values[row] <= high) continue;
    const Cell& cell = rows_[row]->cells[index_[kSalience]];
    error(*rows_[row], cell.column, fmt::format("Salience: must be in [0, {}]{}, got {}", high,
                                                percent ? " (read on the 0-100 scale)" : "", cell.text));
  }
}

void TableParser::check_table(const Line& header) {
  const auto n = table_.names.size();
  if (n < 2) {
    error(header, 1, n == 0 ? std::string("the table has no actors; the model needs at least 2")
                            : std::string("the table has 1 actor; the model needs at least 2"));
    return;
  }
  const Actors& a = table_.actors;
  bool any_vote = false;
  for (int i = 0; i < a.size(); ++i) any_vote = any_vote || a.weight(i) > 0;
  if (!any_vote) error(header, 1, "every actor has capability 0 or salience 0, so nobody has a vote");
}

Table TableParser::parse(std::string_view text) {
  table_.file = file_;
  const std::vector<Line> lines = split_lines(text);
  if (lines.empty()) {
    errors_.push_back({{file_, 1, 1}, "empty table; expected a header with the columns Actor, Capability, Position, "
                                      "Salience, then one actor per row", ""});
    throw InputError(errors_);
  }
  if (!find_columns(lines.front())) throw InputError(errors_);
  for (std::size_t l = 1; l < lines.size(); ++l) read_row(lines[l]);
  apply_scales();
  if (errors_.empty()) check_table(lines.front());
  if (!errors_.empty()) throw InputError(errors_);
  return std::move(table_);
}

}  // namespace

std::optional<Scale> parse_scale(std::string_view text) {
  if (text == "auto") return Scale::kAuto;
  if (text == "unit") return Scale::kUnit;
  if (text == "percent") return Scale::kPercent;
  return std::nullopt;
}

Table parse_table(std::string_view text, const std::string& file, Scale scale) {
  return TableParser(file, scale).parse(text);
}

Table read_table(const std::filesystem::path& file, Scale scale) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw IoError(fmt::format("{}: error: cannot read: is a folder", file.string()));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) throw IoError(fmt::format("{}: error: cannot read: {}", file.string(),
                                                 std::filesystem::exists(file, ec) ? "permission denied or read failure" : "no such file"));
  return parse_table(text.str(), file.string(), scale);
}

}  // namespace geosim::agents::bdm
