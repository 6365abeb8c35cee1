"""The suite's plugin is conversion_qa.plugin, registered through the pytest11 entry point."""
