import App
import Foundation
import Logging

/// Once per process: logs to stderr at the configured level, as readable text or JSON lines.
func bootstrapLogging(level: Logger.Level, format: LogSettings.Format = .text) -> Logger {
    LoggingSystem.bootstrap { label in
        switch format {
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            var handler = JSONLogHandler(label: label) { line in FileHandle.standardError.write(Data(line.utf8)) }
            handler.logLevel = level
            return handler
        }
    }
    return Logger(label: "disposable-app")
}

func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
