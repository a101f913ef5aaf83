#pragma once
// Collects every problem of a check so one error can report them all ("a; b; c") instead of the first.
#include <string>

namespace strata {

class Problems {
 public:
  void add(const std::string& problem) {
    if (!text_.empty()) text_ += "; ";
    text_ += problem;
  }
  [[nodiscard]] bool empty() const { return text_.empty(); }
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace strata
