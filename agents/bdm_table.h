#pragma once
// Tables of actors for the bdm model (bdm/README): CSV with the columns Actor, Capability,
// Position, Salience.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bdm.h"

namespace geosim::agents::bdm {

/// How capability and salience are written in a table. `kAuto` reads a column on the 0-100 scale
/// of KTAB-style files when any of its values is > 1 (each column on its own); `kUnit` reads both
/// as given (salience in [0, 1]); `kPercent` divides both by 100 (salience in [0, 100]).
enum class Scale { kAuto, kUnit, kPercent };

/// "auto", "unit" or "percent"; nullopt for anything else.
std::optional<Scale> parse_scale(std::string_view text);

/// A table of actors: their names and numbers, in table order, on the unit scale.
struct Table {
  std::string file;                 ///< as given, for messages
  std::vector<std::string> names;   ///< unique, non-empty
  std::vector<int> lines;           ///< the 1-based line of each actor's row
  Actors actors;                    ///< capability >= 0, salience in [0, 1], positions finite
  bool capability_percent = false;  ///< the capability column was read on the 0-100 scale
  bool salience_percent = false;    ///< the salience column was read on the 0-100 scale
};

/// Parses CSV text: a header row, then one actor per row. Header names are matched
/// case-insensitively; other columns are ignored; blank lines are skipped; cells may be quoted
/// ("a, b" and "" inside quotes). Throws InputError with every problem found, each located at
/// file:line:column (a missing column, a cell that is not a finite number, a negative
/// capability, a salience out of range, a row of the wrong length, an empty or duplicate actor
/// name, a table with fewer than 2 actors or without any actor of weight c s > 0).
/// `file` only names the text in messages.
Table parse_table(std::string_view text, const std::string& file, Scale scale);

/// Reads `file` and parses it. Throws IoError when it cannot be read, InputError as parse_table.
Table read_table(const std::filesystem::path& file, Scale scale);

}  // namespace geosim::agents::bdm
