## The file editor: text with search, and server.properties as a form.

file-editor-no-such-server = No such server.
file-editor-opening = Opening the file…
file-editor-back = ← Files
file-editor-download-instead = Download it instead
file-editor-saved = Saved.
file-editor-reloaded = Reloaded from disk.
file-editor-leave = Leave without saving your changes?
file-editor-unsaved = Unsaved changes
file-editor-tab-settings = Settings
file-editor-tab-text = Text
file-editor-save = Save
file-editor-saving = Saving…
file-editor-changed = This file changed on disk since you opened it.
file-editor-load-disk = Load the disk's version
file-editor-overwrite = Overwrite with mine
file-editor-find = Find in file
file-editor-next = Next
file-editor-not-found = Not found
file-editor-content = File content
file-editor-on = On
file-editor-off = Off
file-editor-props-note = Other keys and comments in the file are kept as they are; edit them in the Text tab. The server reads this file when it starts: restart it to apply changes.
