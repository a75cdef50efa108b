// One colour per server configuration (see configuration_colors.hpp).
#include "core/configuration_colors.hpp"
#include <array>

namespace gilsim::studio {

QColor configurationColor(int index)
{
  static const std::array<QColor, 8> okabeIto = {QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73),
                                                 QColor(0xd5, 0x5e, 0x00), QColor(0xcc, 0x79, 0xa7), QColor(0x56, 0xb4, 0xe9),
                                                 QColor(0x00, 0x00, 0x00), QColor(0xf0, 0xe4, 0x42)};
  return okabeIto[static_cast<std::size_t>(index) % okabeIto.size()];
}

} // namespace gilsim::studio
