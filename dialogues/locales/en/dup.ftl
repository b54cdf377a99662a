# Duplicate ID number: support review, classmate assistance, record questions, binding.

flow-dup = Duplicate ID number
menu-dup = 🪪 ID number taken / bind my details
reg-id-review-open = The ID number { $id_number_masked } <b>is registered and can be registered again only after support reviews it</b>.
    Several users have used this number and support is reviewing it.
    • If you registered with it before, sign in with your old username; forgot it? Retrieve it.
dup-not-needed = Your real-name details are already bound; there is no duplicate to sort out.
dup-options = Your ID number is shared with another account, so your real-name details are not bound yet. Choose how to confirm who you are:
    • send photos of you holding your ID, checked by support;
    • ask a classmate with an account to confirm you;
    • answer questions only your student record can answer.
dup-by-scan = 📷 Send ID photos (support review)
dup-by-peer = 🤝 Ask a classmate
dup-by-record = 🎓 Answer record questions
dup-progress = 📋 Review progress
dup-other-ways = Other ways
dup-after-review = You can choose another way, or go back to the menu.
dup-review-progress = Review (ticket #{ $review }): { $status }
    { $reason }
dup-review-none = You have not sent ID photos for review yet.
review-submitted = submitted, waiting for support
review-in-review = being reviewed
review-approved = approved
review-rejected = rejected
dup-scan-rules = <b>What to send</b>
    • photos of you holding your ID card: one of the front, one of the back;
    • your face clear and not covered, every field of the card readable;
    • not edited; a jpg, jpeg, png, gif, webp or heic image, as a photo or a file, each under 10 MB.
    <b>Please note</b>: once approved, every other account using this ID number is unbound and loses the services tied to it.
dup-scan-agree = I understand — continue
dup-scan-front = Please send the <b>first</b> photo (holding the front of the card).
dup-scan-back = Please send the <b>second</b> photo (holding the back of the card).
dup-scan-confirm = Both photos received. Submit them for review? (You can send either again to replace it.)
dup-scan-submit = 📨 Submit for review
dup-scan-replace-front = Send the first again
dup-scan-replace-back = Send the second again
dup-scan-submitted = Submitted for review as ticket <b>#{ $ticket }</b>. You will hear the outcome here, and can follow it under "ID number taken" at any time.
dup-review-approved = ✅ Your ID review was <b>approved</b>. Choose "ID number taken / bind my details" in the menu to bind your details.
dup-review-rejected = ❌ Your ID review was not approved. Reason: { $reason }
    Please send new photos as described.
dup-peer-name = Please type your classmate's <b>real name</b>:
dup-peer-username = Please type your classmate's <b>username</b> (their registration e-mail):
dup-peer-sent = If these details match an account with bound real-name details, your request is now in your classmate's chat. Remind them to answer within 7 days.
dup-peer-limit = You have reached the limit for requests for help: at most 3 waiting at once and 5 a day. Wait until your classmates answer, or until they expire (7 days).
assist-request = 📨 <b>Request for help</b>
    Your classmate <b>{ $name }</b> ({ $class }, ID number { $id_masked }) asks you to confirm that you know them and that this ID number is theirs.
    If you accept, they can bind their real-name details after the objection period. If you do not know them, decline.
assist-accept = ✅ Accept
assist-decline = ✖ Decline
assist-you-accepted = You accepted the request — thank you!
assist-you-declined = You declined the request.
assist-was-accepted = ✅ Your classmate confirmed you. To prevent misuse, binding opens when the objection period ends ({ $until }, Beijing time); until then the number's current holder may object. Then choose "ID number taken / bind my details" in the menu.
assist-was-declined = Your request for help was declined. You can choose another way to confirm who you are.
dup-quiz-no = Please type your <b>student number</b>:
dup-quiz-mismatch = The answers do not match your record — { $tries } tries left.
dup-quiz-failed = The answers did not match several times, so your record cannot confirm you. Please talk to a person, or choose another way.
dup-bind-offer = You are confirmed. Now <b>bind your real-name details</b>: we send a code to your phone to confirm.
    Note: binding unbinds every other account using this ID number.
dup-bind = 🔗 Bind my details (SMS code)
dup-bind-code = Please type the 6-digit code to confirm the binding:
dup-bound = ✅ <b>Your real-name details are bound.</b> You can check your student record now.
dup-conflict = Another account has already bound the real-name details of this ID number. If that seems wrong, talk to a person.
dup-unbound-notice = ⚠️ Your account's real-name details were unbound: another user proved through { $how } that the ID number { $id_masked } is theirs. The services tied to it have stopped. If this is a mistake, send /human, or send ID photos for review under "ID number taken".
status-assist-inbox = Requests for help waiting for you: { $count } (see the request messages in this chat)
dup-quiz-month = Please type the <b>year and month you enrolled</b> (as in your record), e.g. 2022-09:
dup-quiz-major = Please type your <b>major</b> (as in your record):
dup-claim-made = ✅ Your answers match your record: you are confirmed. To prevent misuse, binding opens when the objection period ends ({ $claim_until }, Beijing time); the number's current holder is told and may object until then.
dup-claim-waiting = ⏳ You are confirmed, and the objection period is running. You can bind your details when it ends ({ $claim_until }, Beijing time).
dup-claim-objected = ⏸ The current holder of this ID number objected, so your claim is paused until support decides. You can also send ID photos for review.
dup-claimed = ⚠️ Someone is claiming that your account's ID number is theirs. If that is not you, press "Not me" before { $claim_until } (Beijing time) and support will look into it.
claim-object = 🙅 Not me — object
dup-objection-sent = Your objection is in: the claim is paused and support will tell you what they decide.
claim-notice = ⚠️ Someone claimed through { $how } that the ID number { $id_masked } is theirs.
    If that was not you, object before { $until } (Beijing time); otherwise they can bind the number then, and your account will be unbound.
claim-how-peer = a classmate's confirmation
claim-how-record = the record questions
claim-how-scan = an ID review by support
claim-mail-subject = Someone is claiming your ID number
claim-mail-how-to-object = To object: open the student account assistant in Telegram, sign in to your account, choose "ID number taken / bind my details" in the menu and press "Not me".
claim-objected = Your objection is in (ticket #{ $ticket }): the claim is paused and support will tell you what they decide.
claim-frozen = ⏸ The current holder of this ID number objected, so your claim is paused until support decides.
claim-upheld = ✅ Support reviewed the objection and upheld your claim. Choose "ID number taken / bind my details" in the menu to bind your details.
claim-denied = ❌ Support reviewed the objection and kept the current holder, so your claim did not go through. You can send ID photos for review.
claim-objector-upheld = Support reviewed your objection and upheld the other claim. Send /human if you have questions.
claim-objector-denied = ✅ Support reviewed your objection: the ID number stays with your account.
dup-unbound-mail-subject = Your account's real-name details were unbound
dup-need-account = Sorting out an ID number that is "already registered" needs an account: if you registered before, sign in (you can retrieve a forgotten username); if you never did, register first, and when the ID number is reported as registered, choose "I never registered with it — carry on".
