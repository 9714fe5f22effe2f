## Uploads: the progress list of the files page and its errors.

upload-unsupported = This browser cannot upload.
upload-interrupted = The upload was interrupted.
upload-failed = The upload failed ({ $status }).
upload-not-started = The upload could not start.
upload-percent = { $percent }%
upload-done = Uploaded
upload-clear = Clear finished
