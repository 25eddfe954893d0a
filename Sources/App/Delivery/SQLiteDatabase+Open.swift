import Foundation
import GRDB

extension SQLiteDatabase {
    /// Opens (or creates) the database file and brings its schema up to date.
    ///
    /// Creates a missing folder. Every way this can go wrong at start-up (a folder where the file
    /// should be, a file where the folder should be, a file that is not SQLite, a lock held by
    /// another process, no write permission, a schema from a newer version) is one
    /// ``StartupError`` line naming the path and what to do.
    ///
    /// `busyTimeout` is the lock wait: 5 seconds, but a test of a locked file wants it short.
    static func open(path: String, busyTimeout: TimeInterval = 5) throws(StartupError) -> SQLiteDatabase {
        let problem = { (what: String) in StartupError(problems: ["database \(path): \(what)"]) }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw problem("is a folder, not a file: set database.url to a file, e.g. sqlite:\(path)/app.sqlite")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !(files.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            do {
                try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw problem("cannot create the folder \(folder) (\(Self.obstacle(to: folder, error))): check the path in database.url")
            }
        }

        var configuration = Configuration()
        configuration.label = "database"
        // A backup tool or a second process may hold the write lock for a moment; waiting a little
        // beats failing a person's submit.
        configuration.busyMode = .timeout(busyTimeout)
        // Deleted and overwritten content is zeroed, not left in free pages: erased outcome values
        // (sensitive ones once delivered, all of them after the retention) must not be readable.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = Self.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw problem("was written by a newer version of this app: run that version, or point database.url at another file")
            }
            try migrator.migrate(pool)
            return SQLiteDatabase(pool: pool, path: path)
        } catch let error as StartupError {
            throw error
        } catch let error as DatabaseError {
            throw problem(Self.advice(for: error))
        } catch {
            throw problem("cannot open (\(Self.describe(error))): check database.url and that the folder is writable")
        }
    }

    /// What to tell the operator for each SQLite failure at open or migration time.
    ///
    /// SQLite's own message is kept (it is short and says no more than the code); the SQL and its
    /// arguments are not, although opening binds none.
    private static func advice(for error: DatabaseError) -> String {
        let message = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return "is not an SQLite database (\(message)): move the file away or point database.url at another file"
        case .SQLITE_CORRUPT:
            return "is damaged (\(message)): restore it from a backup or move it away"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "is locked by another process (\(message)): stop the other process or point database.url at another file"
        case .SQLITE_FULL:
            return "cannot write (\(message)): free some disk space"
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_IOERR, .SQLITE_AUTH:
            return "cannot open (\(message)): check that the file and its folder are writable by this process"
        default:
            return "cannot open (\(message)): check database.url and that the folder is writable"
        }
    }

    /// Why a folder could not be created, in a few words: the nearest part of the path that exists
    /// is a file or is not writable (Foundation's own error is often just "error 512").
    private static func obstacle(to folder: String, _ error: any Error) -> String {
        let files = FileManager.default
        var candidate = URL(fileURLWithPath: folder)
        while true {
            var isDirectory: ObjCBool = false
            if files.fileExists(atPath: candidate.path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "\(candidate.path) is a file" }
                if !files.isWritableFile(atPath: candidate.path) { return "\(candidate.path) is not writable" }
                break
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        return describe(error)
    }

    /// An error in a few words, without Foundation's long sentences where it can.
    private static func describe(_ error: any Error) -> String {
        if let posix = (error as? CocoaError)?.underlying as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}
