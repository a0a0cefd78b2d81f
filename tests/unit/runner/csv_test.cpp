// read_csv_record: the CSV dialect the sweep writes and reads back (results.sqlite, sensitivity).
#include <gtest/gtest.h>

#include <sstream>

#include "geosim/io.h"

namespace geosim {
namespace {

using Fields = std::vector<std::string>;

std::vector<Fields> read_all(const std::string& text) {
  std::istringstream in(text);
  std::vector<Fields> records;
  Fields fields;
  while (read_csv_record(in, fields)) records.push_back(fields);
  return records;
}

TEST(ReadCsvRecord, SplitsPlainFieldsAndKeepsEmptyOnes) {
  EXPECT_EQ(read_all("a,b,c\n1,,3\n,\n"), (std::vector<Fields>{{"a", "b", "c"}, {"1", "", "3"}, {"", ""}}));
}

TEST(ReadCsvRecord, ReadsQuotedCommasDoubledQuotesAndNewlines) {
  EXPECT_EQ(read_all("\"x,y\",\"say \"\"no\"\"\",\"two\nlines\"\nz\n"),
            (std::vector<Fields>{{"x,y", "say \"no\"", "two\nlines"}, {"z"}}));
}

TEST(ReadCsvRecord, ReadsALastLineWithoutNewlineAndStopsAtTheEnd) {
  EXPECT_EQ(read_all("1,2\n3,4"), (std::vector<Fields>{{"1", "2"}, {"3", "4"}}));
  EXPECT_TRUE(read_all("").empty());
}

TEST(ReadCsvRecord, ReusedFieldsShrinkToTheRecord) {
  std::istringstream in("a,b,c,d\ne\n");
  Fields fields;
  ASSERT_TRUE(read_csv_record(in, fields));
  EXPECT_EQ(fields.size(), 4u);
  ASSERT_TRUE(read_csv_record(in, fields));
  EXPECT_EQ(fields, Fields{"e"});
  EXPECT_FALSE(read_csv_record(in, fields));
  EXPECT_TRUE(fields.empty());
}

}  // namespace
}  // namespace geosim
