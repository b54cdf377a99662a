# The bot's own texts (used from Rust) and the main menu. HTML: only <b> <i> <code>.

progress = { $flow } · step { $step } of { $total }
nav-back = « Back
nav-cancel = ✖ Cancel
nav-human = 👤 Talk to a person
nav-menu = 🏠 Main menu
nav-share-phone = 📱 Share my phone number
stale-button = This button has expired — please use the buttons in the latest message.
button-done = OK
choose-a-button = Please choose one of the buttons below (or send /menu for the main menu).
expected-text = Please type your answer as text — I received { $kind }.
expected-photo = A photo is needed here — I received { $kind }. Send it as a photo or an image file.
expected-file = A photo or a file is needed here — I received { $kind }.
expected-photo-text = A photo is needed here, not text: tap 📎 next to the message box and send a photo or an image file (jpg, jpeg, png, gif, webp or heic).
expected-file-text = A photo or a file is needed here, not text: tap 📎 next to the message box and send a photo, or a file such as a PDF.
unknown-command = There is no { $command } command. Commands: /start /menu /help /back /cancel /lang /status /human /privacy /mute
help-after-misses = This step has not worked three times in a row. Send /help for common questions, or /human to let a person help you.
cancelled = Cancelled. Nothing you entered was kept.
human-unavailable = No support agents are connected to this bot, so a person cannot take over yet. Send /help for common questions, or try the step again.
escalated = I opened support ticket <b>#{ $ticket }</b> for you; an agent will contact you here.
human-requested = Your request for a person is recorded as ticket <b>#{ $ticket }</b>. Support will answer you here — keep an eye on this chat.
human-waiting-relayed = I passed your message on to support (ticket <b>#{ $ticket }</b>). When an agent takes it they will see everything you sent and answer you here.
human-already-open = You already have an open ticket <b>#{ $ticket }</b>; support will answer soon, no need to ask again.
status-header = <b>My progress</b>
    Account: { $account }
    { $record }
    Open tickets: { $tickets }
    { $ticket_list }
status-no-account = not registered or signed in yet
privacy-summary = <b>What is stored about you</b>
    Account: { $account }
    Open tickets: { $tickets }
    Answers entered but not yet submitted: { $answers }
    Language: { $locale }
    Codes are kept only as keyed hashes; ID numbers are partly hidden in messages and logs.
    To have your data deleted, send /delete_my_data.
privacy-account = { $username } · { $name } · { $id_masked } · { $phone } · { $binding }
intent-privacy = 🔒 Privacy: what we keep about you
flow-privacy = Delete my data
privacy-delete-confirm = This deletes your account details (e-mail, name, ID number, phone) and, from every chat you used, your ticket contents, reviews, uploaded ID photos and the agents' topics about you; the audit trail keeps what happened, but no longer who. Limits on sends and tries are not reset by a deletion. It cannot be undone. Are you sure?
privacy-delete-yes = 🗑 Delete (SMS code)
privacy-delete-code = Please type the 6-digit code to confirm the deletion:
privacy-erased = Your personal data has been deleted. Thank you for using the assistant.
flood-warning = You are sending messages very fast — please wait ten seconds, then carry on.
queue-notice = You are in the queue, about { $seconds } s. The answer comes as soon as it is your turn; no need to send again.
internal-error = Sorry, something went wrong. Please try again later or send /human to reach a person.
kind-sticker = a sticker
kind-voice = a voice message
kind-photo = a photo
kind-document = a file
kind-location = a location
kind-contact = a contact
kind-other = a message of another kind
err-text-empty = The answer cannot be empty — please type some text.
err-text-too-long = That is too long — please keep it under { $max } characters.
err-code-digits = The code has digits only — please type the 6 digits.
err-code-length = The code has 6 digits — you typed { $count }.
err-id-type-unknown = Please choose the ID type with the buttons.
err-year = Please type a four-digit year, for example 2022.
err-year-month = Please type the year and month of enrolment, for example 2022-09.
err-date = Please type a full date (year, month, day), for example 2022-09-01.
err-student-no = A student number has 4 to 20 letters or digits.
err-phone-not-own = Please send your own phone number (use the "Share my phone number" button, or type it).
err-file-not-image = That file is not a picture — its content says so, whatever its name. Please send a photo or an image file (jpg, jpeg, png, gif, webp or heic).
err-file-unrecognised = That file is not a photo or a PDF — its content says otherwise, whatever its name. Please send a photo, or a scan as a PDF.
err-file-unreadable = That file could not be read just now. Please send it again.
err-file-too-big = That file is too large — please send one under { $max_mb } MB.

flow-menu = Main menu
menu-main = Hello! I am the <b>student account assistant</b>. I can help you register and activate your account, verify your phone, check your student record and graduate photo, and sort out an ID number that is "already registered".
    What would you like to do?
menu-faq = ❓ Questions and answers
menu-status = 📋 My progress
menu-human = 👤 Talk to a person
menu-lang = 🌐 Language / 语言

flow-lang = Language
lang-choose = 请选择语言 / Please choose your language:
lang-zh = 中文
lang-en = English
lang-changed = Language set to English.
