// ng_cpu_features: reports ng::cpu_selection().
#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"

extern "C" {

NG_API ng_status ng_cpu_features(ng_cpu_info* out) {
    return ng::api::guarded("ng_cpu_features", [&] {
        ng::api::require_not_null(out, "out");
        const ng::CpuSelection& selection = ng::cpu_selection();
        out->features = selection.features;
        out->best_tier = selection.best;
        out->active_tier = selection.active;
        out->requested_tier = selection.requested;
        // *out is filled either way: the caller learns what runs even when the name was bad.
        if (!selection.error.empty()) ng::fail(NG_STATUS_INVALID_ARGUMENT, selection.error);
    });
}

}  // extern "C"
