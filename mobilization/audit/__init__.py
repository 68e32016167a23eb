"""The audit trail (GB/T 22239-2019 §8.1.4.3): one chain of keyed-hash-linked events.

- `chain`: writing events into the chain under its lock, and verifying it;
- `capture`: the events written for every change of a record with history, and of accounts,
  groups, permissions and beat schedules;
- `archive`: moving events past retention into signed archive files;
- `export`: the auditor's spreadsheet of the trail.
`mobilization.services.audit_record` is the one entry point for the services."""
