// The fault suite's public API: each suite (kill-matrix/, infrastructure-faults/, bad-input/)
// exports what its long-form runner and other packages call.
export {};
