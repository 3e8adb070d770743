;;; agentls.el --- Eglot setup for agentls, the agent Markdown language server  -*- lexical-binding: t; -*-

;; Usage (Emacs 28 with the eglot package, or Emacs 29+ where eglot is built in):
;;
;;   (add-to-list 'load-path "/path/to/agentls/editors/emacs")
;;   (require 'agentls)
;;   (add-hook 'markdown-mode-hook #'agentls-eglot-ensure)   ; also gfm-mode-hook
;;
;; `agentls-eglot-ensure' starts eglot only for agent files (Claude Code subagents,
;; skills and slash commands, judged by location exactly as the server does); other
;; Markdown buffers are left alone.  Settings for the server go in
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
The same rules as the server's `agentls.paths.classify': .claude/agents/**
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

;;;###autoload
(defun agentls-eglot-ensure ()
  "Start eglot with agentls if the current buffer visits an agent file."
  (when (agentls-agent-kind buffer-file-name)
    (eglot-ensure)))

(add-to-list 'eglot-server-programs
             `((markdown-mode gfm-mode) . ,agentls-command))

(provide 'agentls)
;;; agentls.el ends here
