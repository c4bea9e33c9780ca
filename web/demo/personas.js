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
    // The amateur astronomer again, writing in Chinese (written for this project, not translated
    // post by post). With the bilingual model (`?model=use-lite-bert-zh-2x128`, the page's model
    // choice) these posts rank the English Debian catalogue like the English astronomer's; the
    // default model reads English only and refuses them as unreadable (docs/chinese.md).
    name: '天文爱好者 (astronomer, in Chinese)',
    lang: 'zh',
    posts: [
      { daysAgo: 110, text: '昨晚用新买的八英寸道布森望远镜第一次看到了土星环，太震撼了。' },
      { daysAgo: 80, text: '想规划一次梅西耶马拉松。有没有天文馆软件能显示今晚地平线上有哪些星星和行星？' },
      { daysAgo: 50, text: '拍了两百张猎户座星云的照片，需要更好的天文摄影后期软件来叠加和降噪。' },
      { daysAgo: 25, text: '有没有好用的星图软件，可以用电脑控制望远镜的自动寻星赤道仪？' },
      { daysAgo: 8, text: '今晚木星很清楚。我想找一个软件来规划观测，记录在目镜里看到的天体。' },
    ],
  },
];
