# The school's view: progress per student, class and college (/progress, helpdesk report).
school-stage-not-registered = Not registered
school-stage-registered = Registered, not bound
school-stage-bound = Bound to real name
school-stage-record-confirmed = Record confirmed
school-stage-photo-confirmed = Photo confirmed
school-stage-ticket-open = Correction/photo waiting
school-stage-review-open = ID review waiting
school-stage-done = Done
school-step-register = register an account
school-step-bind = bind your real-name details
school-step-check-record = check your record
school-step-check-photo = check your photo
school-col-college = College
school-col-class = Class
school-col-counsellor = Counsellor
school-col-student-no = Student no.
school-col-name = Name
school-col-id = ID number
school-col-stage = Stage
school-col-left = Still to do
school-col-first-contact = Started
school-col-registered = Registered
school-col-bound = Bound
school-col-info = Record confirmed
school-col-photo = Photo confirmed
school-col-done = Done
school-col-tickets = Open tickets
school-col-reach = Can be reminded
school-col-reminded = Last reminded
school-col-students = Students
school-col-percent = Done %
school-col-unreachable = Unreachable
school-reach-yes = yes
school-reach-no = never used the bot
school-reach-muted = muted
school-total-college = College total
school-total-all = Total
school-sheet-students = Students
school-sheet-totals = Totals
school-scope-all = whole school
school-progress = <b>Progress · { $scope }</b>
    { $students } students, { $done } done ({ $percent }%); { $unreachable } never used the bot and cannot be reminded.
    { $lines }
school-progress-class = { $class } ({ $counsellor }): { $done }/{ $students } done ({ $percent }%){ $stages }
school-progress-stuck = { $stage }: { $names }
school-progress-more = and { $count } more
school-progress-usage = Usage: /progress [class or college], e.g. /progress 2022级计算机1班; without one, every class of this group.
school-progress-unknown = There is no class or college named "{ $name }". { $suggest }
school-progress-suggest = Did you mean: { $names }
school-progress-outside = "{ $name }" is not among this group's classes (this group has: { $scope }).
school-progress-no-scope = This group takes only some kinds of tickets and no classes; use /progress and /remind in the main agents' group or a class group.
school-progress-empty = No students on the roster in this scope yet: import the roster with helpdesk import-records first.
school-progress-caption = Progress · { $scope } · { $date }
school-progress-no-files = (No file storage is configured: the spreadsheet and the chart cannot be sent.)
school-chart-title = Progress per class · { $scope } · { $date }
school-chart-colleges = Progress per college · { $scope } · { $date }
school-file = progress
school-card-roster = Class: { $class } ({ $college }) · counsellor: { $counsellor }
school-deadline-ahead = 📅 Please finish registering and checking your record and photo by <b>{ $date }</b> ({ $days } days left).
school-deadline-today = 📅 Today (<b>{ $date }</b>) is the last day to finish registering and checking your record and photo.
school-deadline-past = 📅 The deadline to finish registering and checking your record and photo, <b>{ $date }</b>, has passed: please finish soon, or contact your counsellor.
school-reminder-no-deadline = Your account registration and record and photo check are not finished yet.
school-reminder = ⏰ <b>Reminder</b>: { $when }
    Still to do: { $left }.
    Send /start to go on; to get no more reminders, send /mute.
school-muted = All right: no more deadline reminders. To get them again, send /unmute.
school-unmuted = Deadline reminders are on again.
school-remind-queued = <b>Reminders · { $scope }</b>
    { $due } students will be reminded (sent at Telegram's pace; none reminded today is reminded again).
    { $unreachable } never used the bot and cannot be reminded; { $muted } muted reminders; { $waiting } only wait for the school.
