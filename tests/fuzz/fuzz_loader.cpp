// libFuzzer target: the scenario loader and --set on any bytes. An input is a
// scenario's JSON text, then, after a NUL byte, --set assignments one per line.
// Anything but an InputError escaping (or a crash, a leak, undefined behaviour) is a bug.
//   docs/hardening.md: how to build and run it.
#include "app/common/scenario.hpp"
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
  std::string input(reinterpret_cast<const char*>(data), size);
  std::size_t nul  = input.find('\0');
  std::string text = input.substr(0, nul);
  try {
    nlohmann::json doc = gilsim::parse_json(text, "fuzz.json");
    std::istringstream sets(nul == std::string::npos ? "" : input.substr(nul + 1));
    for (std::string line; std::getline(sets, line);)
      gilsim::apply_set(doc, line, "fuzz.json");
    gilsim::Scenario sc = gilsim::load_scenario(doc, "fuzz.json");
    (void)gilsim::check_field(doc, "servers[0].workers", 3, "fuzz.json");
    (void)sc.run(0, 0);
  } catch (const gilsim::InputError&) {
  }
  return 0;
}
