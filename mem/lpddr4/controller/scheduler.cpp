#include "mem/lpddr4/controller/scheduler.hpp"

#include "mem/lpddr4/controller/fcfs.hpp"
#include "mem/lpddr4/controller/fr_fcfs.hpp"
#include "mem/lpddr4/controller/fr_fcfs_grp.hpp"

namespace hmasim {

std::unique_ptr<Lpddr4Scheduler> make_scheduler(SchedulerKind kind) {
  switch (kind) {
    case SchedulerKind::fcfs:
      return std::make_unique<FcfsScheduler>();
    case SchedulerKind::fr_fcfs_grp:
      return std::make_unique<FrFcfsGrpScheduler>();
    case SchedulerKind::fr_fcfs:
    case SchedulerKind::in_order:
      break;
  }
  return std::make_unique<FrFcfsScheduler>();
}

}  // namespace hmasim
