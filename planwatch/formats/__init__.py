"""Date and number formats per language (FORMAT_MODULE_PATH): English in the British style
(29 Nov 2026), as the interface's English is; Chinese keeps Django's zh_Hans formats."""
