// Sample users for the demo: short posts in the voice of a person, written for this project.
// `daysAgo` places each post in time so the interest chart has something to show.

export const personas = [
  {
    name: 'Amateur astronomer',
    posts: [
      { daysAgo: 120, text: 'Finally saw the rings of Saturn through my new 8 inch Dobsonian telescope last night. Unreal.' },
      { daysAgo: 95, text: 'Trying to plan a Messier marathon. Which planetarium software shows what is above the horizon tonight?' },
      { daysAgo: 70, text: 'Stacked 200 frames of the Orion nebula; need better astrophotography processing for the noise.' },
      { daysAgo: 40, text: 'Is there a good star chart app that can control a GoTo mount over INDI?' },
      { daysAgo: 12, text: 'Clear sky over Jupiter tonight. I want software to plan observing sessions and log what I see through the eyepiece.' },
    ],
  },
  {
    name: 'Home music producer',
    posts: [
      { daysAgo: 90, text: 'Recording guitar and vocals at home; which digital audio workstation works well with JACK?' },
      { daysAgo: 60, text: 'Looking for a good software synthesizer and some drum machine samples for a techno track.' },
      { daysAgo: 30, text: 'My MIDI keyboard works, but the latency is terrible. Real-time audio setup tips?' },
      { daysAgo: 7, text: 'Mastering my first EP: need an audio editor with good effects and a spectrum analyser.' },
    ],
  },
  {
    name: 'Security engineer',
    posts: [
      { daysAgo: 100, text: 'Ran a port scan of our network and found an old FTP server nobody remembered.' },
      { daysAgo: 65, text: 'Practising web application penetration testing: SQL injection and fuzzing HTTP requests.' },
      { daysAgo: 33, text: 'Need a packet sniffer to capture and analyse suspicious traffic on the firewall.' },
      { daysAgo: 5, text: 'Cracking weak password hashes from a CTF challenge, and hardening SSH with intrusion detection.' },
    ],
  },
  {
    name: 'Chemist turned gardener',
    posts: [
      { daysAgo: 200, text: 'Drawing reaction mechanisms and molecular structures for my organic chemistry class.' },
      { daysAgo: 170, text: 'Visualising protein molecules in 3D and computing quantum chemistry energies.' },
      { daysAgo: 150, text: 'Crystallography data for my thesis: I need to refine crystal structures.' },
      { daysAgo: 20, text: 'Retired now. Planning the vegetable garden beds and keeping a plant database of seeds.' },
      { daysAgo: 10, text: 'Tracking which tomatoes and herbs grew best this year; garden planner and weather notes.' },
      { daysAgo: 2, text: 'Designing a greenhouse layout and a watering schedule for the garden.' },
    ],
  },
  {
    // Chinese posts: their keywords and interest labels are Chinese words (docs/chinese.md).
    // The default model reads English only, so the recommendations over the English catalogue
    // are weak for this persona (that is the bilingual model's job); the labels are the point.
    name: '摄影和音乐爱好者',
    posts: [
      { daysAgo: 60, text: '周末去西湖拍了很多风景照片，想找一个好用的修图软件处理RAW格式的照片。' },
      { daysAgo: 40, text: '新买的相机拍星空效果不错，照片后期还需要降噪和调色。' },
      { daysAgo: 20, text: '最近在家里录吉他和人声，需要一个免费的录音软件和混音软件。' },
      { daysAgo: 5, text: '用MIDI键盘写了一首曲子，想学习音乐制作和音频编辑。' },
    ],
  },
];
