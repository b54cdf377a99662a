# Record check and graduate photo.

flow-record = Record check
menu-record = 🎓 Check my record and photo
record-need-account = To check your record, register or sign in first.
record-need-binding = Your account is not bound to your real-name details yet (the ID number is taken; confirm who you are first), so the record cannot be shown.
record-card = <b>Student record</b>
    Name: { $name }
    Gender: { $gender ->
        [male] male
       *[female] female
    }
    Date of birth: { $birth_date }
    ID number: { $id_masked }
    School: { $school }
    College: { $college }
    Major: { $major }
    Level: { $level }
    Study mode: { $study_mode }
    Class: { $class_name }
    Student number: { $student_no }
    Enrolled: { $enrolled_on }
    Expected graduation: { $graduates_on }
record-photo-caption = Graduate photo
record-info-question = Please check your <b>personal details</b> above carefully. Are they all correct?
record-info-correct = ✅ All correct
record-info-wrong = ✏️ Something is wrong
record-photo-question = { $record_has_photo ->
        [yes] Please check the <b>graduate photo</b> above: is it you, clear, with the right background and size?
       *[no] There is no graduate photo on your record yet. To add one, choose "Photo is wrong" and upload it.
    }
record-photo-correct = ✅ Confirm the photo
record-photo-wrong = ✏️ Photo is wrong — change it
record-complete = 🎉 <b>Check complete!</b> Your details and photo are confirmed; the time is recorded.
record-pick-field = Which field is wrong? Pick one (you can add several, one by one):
field-name = Name
field-gender = Gender
field-birth-date = Date of birth
field-college = College
field-major = Major
field-level = Level
field-study-mode = Study mode
field-class-name = Class
field-student-no = Student number
field-enrolled-on = Enrolment date
field-graduates-on = Graduation date
record-field-value = Please type the correct { $field ->
        [name] name (the Chinese characters on your ID card)
        [college] college
        [major] major
        [study_mode] study mode
        [class_name] class
        [student_no] student number, for example 20220001
       *[other] value
    }:
record-field-date = Please type the correct { $field ->
        [name] name
        [gender] gender
        [birth_date] birth date
        [college] college
        [major] major
        [level] level
        [study_mode] study mode
        [class_name] class
        [student_no] student number
        [enrolled_on] enrolment date
        [graduates_on] graduation date
       *[other] value
    }, for example 2022-09-01:
record-field-choose = Please choose the correct { $field ->
        [name] name
        [gender] gender
        [birth_date] birth date
        [college] college
        [major] major
        [level] level
        [study_mode] study mode
        [class_name] class
        [student_no] student number
        [enrolled_on] enrolment date
        [graduates_on] graduation date
       *[other] value
    }:
record-gender-male = Male (男)
record-gender-female = Female (女)
record-level-undergraduate = Undergraduate (本科)
record-level-junior = Junior college (专科)
record-level-graduate = Postgraduate (研究生)
record-more-fields = Corrections so far:
    { $corrections_summary }
    Is anything else wrong?
record-another-field = ➕ Another field
record-go-evidence = 📎 Send evidence
record-evidence = Please send <b>evidence</b> (photos or PDF files of your ID card, admission letter…; several are fine, each under 10 MB). Press "Done" when all are sent.
record-evidence-done = ✅ Done
record-evidence-received = Received { $count } file(s). Send more, or press "Done".
record-evidence-needed = Please send at least one piece of evidence, so your counsellor can review it.
record-review = Please confirm your correction request:
    { $corrections_summary }
    Evidence: { $evidence_count } file(s)
record-submit = 📨 Submit
record-correction-sent = Your correction request is ticket <b>#{ $ticket }</b>. Your counsellor will answer here; you can also follow it under "My progress".
    Next, please check your photo.
record-check-photo = 🖼 Check the photo
record-photo-reason = What is wrong with the photo?
photo-reason-not-me = It is not me
photo-reason-unclear = It is unclear
photo-reason-background = Wrong background or size
photo-reason-other = Something else
record-photo-other = Please say briefly what is wrong:
record-photo-upload = You may upload a new photo (jpg/png), or skip and support will contact you.
record-photo-skip = Skip, no upload
record-photo-sent = Your photo change request is ticket <b>#{ $ticket }</b>. The photo stays unconfirmed until support settles it; you will hear here.
record-look-alike = Character { $position } of your name may be a look-alike: check it against your ID card.
record-no-match-detail = <b>No student record matches your name and ID number.</b>
    A. Check what you entered, character by character:
    Name: { $name_chars }
    ID number: { $id_chars }
    { $hints }
record-no-match = B. Name wrong: choose "Edit my details" and correct it.
    C. ID number wrong: register a new account with the right number (using another e-mail address).
    Still stuck? Talk to a person.
record-fix-name = ✏️ Edit my details (name)
record-new-registration = 📝 Register again with the right ID number
record-fix-name-prompt = Please type your correct name (as on your ID):
record-status-complete = Record check: complete (details and photo confirmed)
record-status-pending = Record check: details { $info ->
        [yes] confirmed
       *[no] not confirmed
    }, photo { $photo ->
        [yes] confirmed
       *[no] not confirmed
    }
record-status-none = Record check: not started
record-id-typo = Position { $positions } of your ID number may be wrong: check it against your ID card.
record-self-help-limited = You have used today's self-checks (3 a day). Please try again tomorrow, or talk to a person.
record-fix-name-limited = You have used today's name corrections (3 a day); the name was not changed.
record-fix-name-limited-menu = Please try again tomorrow, or talk to a person.
