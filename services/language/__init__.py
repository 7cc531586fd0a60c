"""Language service: identifies the language mix and script of article text."""
