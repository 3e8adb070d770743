;;; emacs_client.el --- Emacs + eglot as a real LSP client of agentls (batch)  -*- lexical-binding: t; -*-
;; Usage: AGENTLS_TEST_SPEC=spec.json emacs --batch -Q -l emacs_client.el
;; spec: {"load_path", "out", "agent_file", "other_file", "classify_paths": [...],
;;        "expect_diagnostics": n, "hover": [line, col], "completion": [line, col],
;;        "edit": {"line", "text", "code"}}   lines 0-based, columns in characters.
;; Records what Emacs shows (flymake diagnostics, hover, completion) as JSON; the
;; Python test judges it.

(require 'package)
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa")) ; -Q skips Debian's elpa setup
(package-initialize)
(require 'json)
(require 'cl-lib)
(require 'subr-x)

(defvar agentls-test-t0 (float-time))
(defvar agentls-test-spec
  (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
    (json-read-file (getenv "AGENTLS_TEST_SPEC"))))
(defun spec (key) (alist-get key agentls-test-spec))
(defvar agentls-test-report (list (cons 'emacs emacs-version)))
(defun report (key value) (push (cons key value) agentls-test-report))
(defun elapsed-ms () (round (* 1000 (- (float-time) agentls-test-t0))))

(unless (fboundp 'markdown-mode)  ; no markdown-mode package here: a stub gives languageId "markdown"
  (define-derived-mode markdown-mode text-mode "Markdown"))
(add-to-list 'auto-mode-alist '("\\.md\\'" . markdown-mode))
(add-to-list 'load-path (spec 'load_path))
(require 'agentls)                 ; the shipped editors/emacs/agentls.el
(setq eglot-sync-connect t)

(defun agentls-test-diagnostics ()
  (sort (mapcar (lambda (d)
                  (let ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d)))
                    (save-excursion
                      (goto-char beg)
                      (let ((line (1- (line-number-at-pos))) (col (- beg (line-beginning-position))))
                        (goto-char end)
                        (list (cons 'line line) (cons 'col col)
                              (cons 'end_line (1- (line-number-at-pos)))
                              (cons 'end_col (- end (line-beginning-position)))
                              (cons 'type (format "%s" (flymake-diagnostic-type d)))
                              (cons 'text (flymake-diagnostic-text d)))))))
                (flymake-diagnostics))
        (lambda (a b) (< (+ (* 100000 (alist-get 'line a)) (alist-get 'col a))
                         (+ (* 100000 (alist-get 'line b)) (alist-get 'col b))))))

(defun agentls-test-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (flymake-start)
      (accept-process-output nil 0.05))
    (funcall pred)))

(defun agentls-test-goto (pos)
  (goto-char (point-min))
  (forward-line (nth 0 pos))
  (forward-char (nth 1 pos)))

(defun agentls-test-finish (ok)
  (report 'elapsed_ms (elapsed-ms))
  (report 'ok (if ok t :json-false))
  (with-temp-file (spec 'out) (insert (json-encode agentls-test-report)))
  (dolist (server (hash-table-values eglot--servers-by-project))
    (dolist (s server) (ignore-errors (eglot-shutdown s))))
  (kill-emacs 0))

;; spec "missing": {"files": [...], "later_file", "later_exec_path"}: the user's setup
;; (`agentls-eglot-ensure' on markdown-mode-hook) without agentls on exec-path.  Each
;; file is visited and a command (C-f) runs through the command loop, so
;; post-command-hook runs as it does in a real session.  Then agentls is "installed"
;; (its folder joins exec-path) and one more agent file is visited.
(defun agentls-test-visit (file seconds)
  (switch-to-buffer (find-file-noselect file))  ; markdown-mode-hook runs here
  (execute-kbd-macro (kbd "C-f"))             ; one command: pre/post-command-hook
  (agentls-test-wait #'eglot-current-server seconds))  ; eglot-sync-connect: connected by now, if ever

(defun agentls-test-missing (missing)
  (add-hook 'markdown-mode-hook #'agentls-eglot-ensure)
  (report 'missing_connected
          (vconcat (mapcar (lambda (f) (if (agentls-test-visit f 0.5) t :json-false)) (alist-get 'files missing))))
  (report 'missing_messages (with-current-buffer (messages-buffer) (buffer-string)))
  (push (alist-get 'later_exec_path missing) exec-path)
  (let ((server (agentls-test-visit (alist-get 'later_file missing) 10)))
    (report 'later_connected (if server t :json-false))
    (when server
      (report 'server_command (process-command (jsonrpc--process server)))))
  (report 'messages (with-current-buffer (messages-buffer) (buffer-string))))

(when (spec 'missing)
  (condition-case err
      (progn (agentls-test-missing (spec 'missing)) (agentls-test-finish t))
    (error (report 'error (format "%S" err)) (agentls-test-finish nil))))

(condition-case err
    (progn
      (report 'kinds (mapcar (lambda (p) (list (cons 'path p)
                                               (cons 'kind (let ((k (agentls-agent-kind p))) (and k (symbol-name k))))))
                             (spec 'classify_paths)))
      (let ((buf (find-file-noselect (spec 'agent_file))))
        (with-current-buffer buf
          (report 'major_mode (symbol-name major-mode))
          (unless (agentls-agent-kind buffer-file-name) (error "not an agent file: %s" buffer-file-name))
          ;; what agentls-eglot-ensure does; eglot-ensure itself waits for post-command-hook,
          ;; which never runs in --batch, so connect directly
          (apply #'eglot--connect (eglot--guess-contact))
          (unless (agentls-test-wait #'eglot-current-server 15) (error "eglot did not connect"))
          (let ((server (eglot-current-server)))
            (report 'server_command (process-command (jsonrpc--process server)))
            (report 'server_info (plist-get (eglot--server-info server) :name))
            (report 'connect_ms (elapsed-ms))
            (agentls-test-wait (lambda () (>= (length (flymake-diagnostics)) (spec 'expect_diagnostics))) 15)
            (accept-process-output nil 0.3)
            (report 'diagnostics (vconcat (agentls-test-diagnostics)))
            (report 'diagnostics_ms (elapsed-ms))
            (agentls-test-goto (spec 'hover))
            (report 'hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
            (agentls-test-goto (spec 'completion))
            (report 'completion (jsonrpc-request server :textDocument/completion (eglot--CompletionParams)))
            (let* ((edit (spec 'edit)) (line (alist-get 'line edit)) (code (alist-get 'code edit))
                   (before (seq-find (lambda (d) (and (= (alist-get 'line d) line)
                                                      (string-match-p (regexp-quote code) (alist-get 'text d))))
                                     (agentls-test-diagnostics))))
              (agentls-test-goto (list line 0))
              (insert (alist-get 'text edit))
              ;; eglot sends didChange from an idle timer, and idle timers never fire in --batch
              (eglot--signal-textDocument/didChange)
              (agentls-test-wait
               (lambda () (seq-find (lambda (d) (and (= (alist-get 'line d) line)
                                                     (string-match-p (regexp-quote code) (alist-get 'text d))
                                                     (/= (alist-get 'col d) (alist-get 'col before))))
                                    (agentls-test-diagnostics)))
               10)
              (report 'after_edit (vconcat (agentls-test-diagnostics))))))
        (let ((other (find-file-noselect (spec 'other_file))))
          (with-current-buffer other
            (report 'other_is_agent (if (agentls-agent-kind buffer-file-name) t :json-false)))))
      (agentls-test-finish t))
  (error (report 'error (format "%S" err)) (agentls-test-finish nil)))
