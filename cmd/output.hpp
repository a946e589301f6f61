// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/group.hpp"
#include "core/store/store.hpp"
#include "core/util/json.hpp"

#include <string>
#include <vector>

namespace mailgroup::cli {

// The documented JSON shape of one group (see mailgroup(1), JSON OUTPUT).
void write_group_json(JsonWriter& json, const Group& group);

std::string group_text(const Snapshot& snapshot, const Group& group);

std::string groups_csv(const Snapshot& snapshot);


} // namespace mailgroup::cli
