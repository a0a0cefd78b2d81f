#pragma once
// A test fixture with its own empty temporary folder, removed afterwards.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace geosim::test {

class TempDirTest : public ::testing::Test {
 protected:
  explicit TempDirTest(const std::string& tag)
      : dir_(std::filesystem::temp_directory_path() / ("geosim_" + tag + "_" + std::to_string(::getpid()))) {}
  void SetUp() override { std::filesystem::remove_all(dir_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  /// The path of `name` inside the folder, as a string for command lines.
  std::string out(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

}  // namespace geosim::test
