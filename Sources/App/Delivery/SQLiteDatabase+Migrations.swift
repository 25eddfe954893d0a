import GRDB

extension SQLiteDatabase {
    /// ``DatabaseSchema``'s migrations, registered into GRDB's migrator under their versions.
    ///
    /// They run under a lock, as PostgreSQL's run under its advisory lock. GRDB 7.10's
    /// `DatabaseMigrator.migrate(_:)` runs them on the pool's writer behind a barrier
    /// (`barrierWriteWithoutTransaction`: nothing else of this process reads or writes meanwhile),
    /// and each migration in its own `BEGIN IMMEDIATE` transaction that also records its version
    /// in `grdb_migrations` (Migration.swift, `db.inTransaction(.immediate)`), which holds the
    /// file's write lock against other processes.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in DatabaseSchema.migrations {
            migrator.registerMigration(migration.version) { db in
                for statement in migration.sqlite {
                    try db.execute(sql: statement)
                }
            }
        }
        return migrator
    }
}
