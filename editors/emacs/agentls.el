;;; agentls.el --- Eglot setup for agentls, the agent Markdown language server  -*- lexical-binding: t; -*-

;; Usage (Emacs 28 with the eglot package, or Emacs 29+ where eglot is built in):
;;
;;   (add-to-list 'load-path "/path/to/agentls/editors/emacs")
;;   (require 'agentls)
;;   (add-hook 'markdown-mode-hook #'agentls-eglot-ensure)   ; also gfm-mode-hook
;;
;; `agentls-eglot-ensure' starts eglot only for agent files (Claude Code subagents,
;; skills and slash commands, judged by location exactly as the server does); other
;; Markdown buffers are left alone.  If the program of `agentls-command' is not on
;; `exec-path', it shows one warning per session that says how to install it, and
;; starts nothing; the next agent file visited after installing starts eglot.
;; Settings for the server go in
;; `eglot-workspace-configuration', e.g. in .dir-locals.el:
;;
;;   ((nil . ((eglot-workspace-configuration
;;             . (:agentls (:rules (:AGT502 "off") :extendTools ["MyMcpTool"]))))))

;;; Code:

(require 'eglot)
(require 'seq)

(defgroup agentls nil
  "Language server for agent Markdown files."
  :group 'tools)

(defcustom agentls-command '("agentls" "serve")
  "Command that starts the agentls language server (LSP over stdio)."
  :type '(repeat string))

(defconst agentls--doc-names '("readme.md" "changelog.md" "contributing.md" "license.md")
  "Files in an agents folder that are documentation, not agents.")

(defun agentls--last-index (item list &optional limit)
  "Index of the last ITEM in the first LIMIT elements of LIST, or nil."
  (let ((i 0) found)
    (dolist (x list)
      (when (and (or (null limit) (< i limit)) (equal x item))
        (setq found i))
      (setq i (1+ i)))
    found))

(defun agentls-agent-kind (file)
  "Return `agent', `skill', `command' or nil for FILE, by its location.
The same rules as the server's `agentls.core.paths.classify': .claude/agents/**
and a plugin's agents/**, .claude/commands/** and a plugin's commands/**,
and skills/<name>/SKILL.md."
  (when (and file (string-match-p ".\\.md\\'" (downcase (file-name-nondirectory file))))
    (let* ((parts (split-string (expand-file-name file) "[/\\\\]" t))
           (name (car (last parts)))
           (dirs (butlast parts)))
      (cond
       ((and (string= name "SKILL.md") (>= (length dirs) 2)
             (agentls--last-index "skills" dirs (1- (length dirs))))
        'skill)
       ((member (downcase name) agentls--doc-names) nil)
       (t
        (catch 'done
          (dolist (entry '(("agents" . agent) ("commands" . command)))
            (let ((i (agentls--last-index (car entry) dirs)))
              (when i
                ;; an agents/ or commands/ folder inside a skill is the skill's resource,
                ;; but a .claude/agents folder is Claude Code's wherever it is
                (throw 'done (unless (and (not (and (> i 0) (equal (nth (1- i) dirs) ".claude")))
                                          (agentls--last-index "skills" dirs i))
                               (cdr entry))))))
          nil))))))

(defvar agentls--told-missing nil
  "Non-nil once this session was told that the server program is missing.")

(defun agentls--missing-program ()
  "The program of `agentls-command' if it is not on this host's path, else nil."
  (let ((program (car agentls-command)))
    (unless (and (stringp program) (executable-find program t))
      (format "%s" program))))

(defun agentls--contact (&optional _interactive)
  "The server command for eglot: `agentls-command' as it is when eglot starts."
  agentls-command)

;;;###autoload
(defun agentls-eglot-ensure ()
  "Start eglot with agentls if the current buffer visits an agent file.
If the server program of `agentls-command' cannot be found, say so (once
per session) with how to install it, instead of starting eglot."
  (when (agentls-agent-kind buffer-file-name)
    (let ((missing (agentls--missing-program)))
      (if (not missing)
          (eglot-ensure)
        (unless agentls--told-missing
          (setq agentls--told-missing t)
          (display-warning
           'agentls
           (format-message
            (concat "`%s' was not found on `exec-path', so agent files get no diagnostics.  "
                    "Install the server from a clone of the agentls repository "
                    "(`pipx install ./agentls' or `python3 -m pip install ./agentls'), "
                    "or set `agentls-command', e.g. to (\"/path/to/venv/bin/agentls\" \"serve\")")
            missing)
           :warning))))))

(add-to-list 'eglot-server-programs
             '((markdown-mode gfm-mode) . agentls--contact))

(provide 'agentls)
;;; agentls.el ends here
